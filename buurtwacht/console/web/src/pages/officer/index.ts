// The wijkagent's pages (filled in by the officer's pages' author): routes and navigation entries.
import type { PageArea } from "../../router";

export const officer: PageArea = {
  routes: [],
  nav: () => [],
};
