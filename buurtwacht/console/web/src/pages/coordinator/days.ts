// Calendar arithmetic on local days written YYYY-MM-DD (computed in UTC so no time zone shifts a day).
export function parseDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function dayString(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = parseDay(day);
  date.setUTCDate(date.getUTCDate() + days);
  return dayString(date);
}

/** The Monday of the day's week. */
export function weekStart(day: string): string {
  const weekday = (parseDay(day).getUTCDay() + 6) % 7; // Monday 0
  return addDays(day, -weekday);
}

export function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export function addMonths(day: string, months: number): string {
  const date = parseDay(monthStart(day));
  date.setUTCMonth(date.getUTCMonth() + months);
  return dayString(date);
}

export function daysBetween(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}
