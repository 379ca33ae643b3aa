// Hash routing: #/groups/<id>/roster. Each area of pages (pages/*/index.ts) lists its routes and
// its navigation entries; app.tsx puts them together.
import type { ComponentChildren } from "preact";
import type { Schemas } from "./api/client";
import type { Key } from "./i18n";
import { signal } from "./store";

export type Me = Schemas["Me"];
export type Params = Record<string, string>;

export interface Route {
  /** A path with :holes, e.g. "/groups/:groupId/roster". */
  path: string;
  view: (params: Params, me: Me) => ComponentChildren;
}

export interface NavEntry {
  label: Key;
  path: string;
  /** A heading the entry is listed under (a group's name), or none. */
  section?: string;
}

export interface PageArea {
  routes: Route[];
  /** The entries this person's roles give them (built from GET /api/v1/me only). */
  nav: (me: Me) => NavEntry[];
}

function current(): string {
  return decodeURI(location.hash.replace(/^#/, "")) || "/";
}

export const path = signal<string>(current());
window.addEventListener("hashchange", () => path.set(current()));

export function href(to: string): string {
  return `#${to}`;
}

export function navigate(to: string): void {
  location.hash = to;
}

export function match(routes: Route[], at: string): { route: Route; params: Params } | null {
  const [pathname] = at.split("?");
  const parts = (pathname ?? "/").split("/").filter(Boolean);
  for (const route of routes) {
    const pattern = route.path.split("/").filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Params = {};
    const fits = pattern.every((piece, i) => {
      const part = parts[i] ?? "";
      if (piece.startsWith(":")) {
        params[piece.slice(1)] = part;
        return true;
      }
      return piece === part;
    });
    if (fits) return { route, params };
  }
  return null;
}

/** The ?query of the hash, e.g. #/groups/x/roster?view=month&date=2027-03-01. */
export function query(): URLSearchParams {
  return new URLSearchParams(current().split("?")[1] ?? "");
}
