// Times as people here read them: Europe/Amsterdam (the server's TIMEZONE), in the console's language.
import { config } from "./config";
import { lang } from "./i18n";

function zone(): string {
  return config().timezone;
}

function locale(): string {
  return lang.get() === "en" ? "en-GB" : "nl-NL";
}

export function formatTime(iso: string): string {
  return new Intl.DateTimeFormat(locale(), { timeZone: zone(), hour: "2-digit", minute: "2-digit" }).format(
    new Date(iso),
  );
}

export function formatDate(iso: string, options: Intl.DateTimeFormatOptions = {}): string {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: zone(),
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    ...options,
  }).format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return `${formatDate(iso)} ${formatTime(iso)}`;
}

/** The local calendar day (YYYY-MM-DD) of an instant, in the server's time zone. */
export function localDay(iso: string | Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: zone(), year: "numeric", month: "2-digit", day: "2-digit" })
    .format(typeof iso === "string" ? new Date(iso) : iso);
  return parts;
}

/** A local date (YYYY-MM-DD) shown in words, without a time zone shift. */
export function formatDay(day: string, options: Intl.DateTimeFormatOptions = {}): string {
  return new Intl.DateTimeFormat(locale(), {
    timeZone: "UTC",
    weekday: "long",
    day: "numeric",
    month: "long",
    ...options,
  }).format(new Date(`${day}T12:00:00Z`));
}
