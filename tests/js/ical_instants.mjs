// What ical.js (the parser in Thunderbird and Nextcloud) makes of an iCalendar feed.
//
// Usage: node tests/js/ical_instants.mjs [feed.ics]   (reads standard input without a file)
// Prints a JSON array, one object per VEVENT, with the moments as UTC instants ("2027-03-30T18:00:00Z")
// computed by ical.js from the feed's own VTIMEZONE, as a calendar app places the event on its grid.
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const source = readFileSync(process.argv[2] ?? 0, "utf8");
const calendar = new ICAL.Component(ICAL.parse(source));

function instant(time) {
  if (time === null || time === undefined) return null;
  // toUnixTime() converts through the time's own zone: the VTIMEZONE the TZID parameter names.
  return new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
}

const events = calendar.getAllSubcomponents("vevent").map((component) => {
  const event = new ICAL.Event(component);
  return {
    uid: event.uid,
    dtstart: instant(event.startDate),
    dtend: instant(event.endDate),
    // The zone ical.js resolved the start in: a TZID it could not find leaves the time floating.
    tzid: event.startDate.zone ? event.startDate.zone.tzid : null,
    sequence: component.getFirstPropertyValue("sequence"),
    last_modified: instant(component.getFirstPropertyValue("last-modified")),
    dtstamp: instant(component.getFirstPropertyValue("dtstamp")),
    status: component.getFirstPropertyValue("status"),
    summary: event.summary,
    description: event.description,
    location: event.location,
  };
});

process.stdout.write(JSON.stringify(events, null, 2) + "\n");
