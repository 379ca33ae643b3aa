// t(key, params): the text in the console's language. The language is the signed-in person's locale
// (GET /api/v1/me), else the browser's, and the header's switch changes it for this browser.
import { en } from "./en";
import { nl, type Key } from "./nl";
import { signal } from "../store";

export type Lang = "nl" | "en";
export type { Key };
const catalogues: Record<Lang, Record<Key, string>> = { nl, en };
const STORAGE = "buurtwacht.console.lang";

function initial(): Lang {
  const kept = localStorage.getItem(STORAGE);
  if (kept === "nl" || kept === "en") return kept;
  return navigator.language.toLowerCase().startsWith("en") ? "en" : "nl";
}

export const lang = signal<Lang>(initial());
lang.subscribe((value) => {
  document.documentElement.lang = value;
});
document.documentElement.lang = lang.get();

/** Chosen in the header: kept in this browser, above the person's locale. */
export function chooseLang(value: Lang): void {
  localStorage.setItem(STORAGE, value);
  lang.set(value);
}

/** The person's locale, unless this browser chose a language itself. */
export function adoptLocale(locale: string): void {
  if (localStorage.getItem(STORAGE)) return;
  lang.set(locale === "en" ? "en" : "nl");
}

export function t(key: Key, params: Record<string, string | number> = {}): string {
  const text = catalogues[lang.get()][key];
  return text.replace(/\{(\w+)\}/g, (hole, name: string) => (name in params ? String(params[name]) : hole));
}
