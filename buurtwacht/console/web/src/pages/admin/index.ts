// The municipal admin's pages: routes and navigation entries.
import type { PageArea } from "../../router";

export const admin: PageArea = {
  routes: [],
  nav: () => [],
};
