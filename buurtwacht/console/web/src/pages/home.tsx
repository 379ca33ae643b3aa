// The start page: what this person can do here, by their roles (from GET /api/v1/me).
import { Page } from "../components/ui";
import { t } from "../i18n";
import { href, type Me, type NavEntry } from "../router";

export function Home(props: { me: Me; nav: NavEntry[] }) {
  const pending = props.me.memberships.filter((m) => m.status === "pending");
  return (
    <Page title={t("home.title", { name: props.me.person.display_name })}>
      {props.nav.length > 0 ? <p>{t("home.intro")}</p> : <p>{t("home.nothing")}</p>}
      {pending.map((m) => (
        <p key={m.id}>{t("home.pending", { group: m.group_name })}</p>
      ))}
      <Sections nav={props.nav} />
    </Page>
  );
}

/** Nav entries listed under their section headings (used by the home page and the header's menu). */
/** In the header's menu the sections are labelled lists, not headings (the page's h1 comes first). */
export function Sections(props: { nav: NavEntry[]; current?: string; inMenu?: boolean }) {
  const sections = [...new Set(props.nav.map((entry) => entry.section ?? ""))];
  return (
    <>
      {sections.map((section) => (
        <div key={section} class="nav-section">
          {section && (props.inMenu ? <p class="nav-heading">{section}</p> : <h2>{section}</h2>)}
          <ul aria-label={section || undefined}>
            {props.nav
              .filter((entry) => (entry.section ?? "") === section)
              .map((entry) => (
                <li key={entry.path}>
                  <a href={href(entry.path)} aria-current={props.current === entry.path ? "page" : undefined}>
                    {t(entry.label)}
                  </a>
                </li>
              ))}
          </ul>
        </div>
      ))}
    </>
  );
}
