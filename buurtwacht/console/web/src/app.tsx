// The shell: skip link, header (name, language, sign-out), navigation by role, and the page in <main>.
import { useEffect, useState } from "preact/hooks";
import { api, ok } from "./api/client";
import { endSession, session } from "./auth";
import { ErrorView, Loading, Page } from "./components/ui";
import { useLoad } from "./hooks";
import { adoptLocale, chooseLang, lang, t, type Lang } from "./i18n";
import { admin } from "./pages/admin";
import { coordinator } from "./pages/coordinator";
import { Home, Sections } from "./pages/home";
import { officer } from "./pages/officer";
import { SignIn } from "./pages/signin";
import { match, path, type Me, type NavEntry, type PageArea, type Route } from "./router";
import { useSignal } from "./store";

const AREAS: PageArea[] = [coordinator, officer, admin];
const ROUTES: Route[] = AREAS.flatMap((area) => area.routes);

export function App() {
  const signedIn = useSignal(session);
  useSignal(lang); // re-render every text when the language changes
  return (
    <>
      <a class="skip" href="#main" onClick={skipToMain}>
        {t("app.skip")}
      </a>
      {signedIn ? (
        <SignedIn key={signedIn.token} />
      ) : (
        <>
          <Header />
          <main id="main" tabIndex={-1}>
            <SignIn />
          </main>
        </>
      )}
    </>
  );
}

function skipToMain(event: Event) {
  event.preventDefault(); // the URL's #fragment is the route: focus the content instead
  document.getElementById("main")?.focus();
}

function SignedIn() {
  const me = useLoad(() => ok(api.GET("/api/v1/me")), []);
  useEffect(() => {
    if (me.data) adoptLocale(me.data.person.locale);
  }, [me.data]);
  if (!me.data) {
    return (
      <>
        <Header />
        <main id="main" tabIndex={-1}>
          {me.loading ? <Loading /> : <ErrorView error={me.error} onRetry={me.reload} />}
        </main>
      </>
    );
  }
  return <Shell me={me.data} />;
}

function Shell(props: { me: Me }) {
  const at = useSignal(path);
  const nav: NavEntry[] = AREAS.flatMap((area) => area.nav(props.me));
  const found = match(ROUTES, at);
  const [open, setOpen] = useState(false);
  useEffect(() => setOpen(false), [at]); // a phone's menu closes once a page is chosen
  return (
    <>
      <Header me={props.me} />
      {nav.length > 0 && (
        <nav aria-label={t("app.nav")} class={open ? "menu open" : "menu"}>
          <button type="button" class="menu-toggle" aria-expanded={open} aria-controls="menu-body" onClick={() => setOpen(!open)}>
            {t("app.nav")}
          </button>
          <div id="menu-body" class="menu-body">
            <ul>
              <li>
                <a href="#/" aria-current={at === "/" ? "page" : undefined}>
                  {t("nav.home")}
                </a>
              </li>
            </ul>
            <Sections nav={nav} current={at} inMenu />
          </div>
        </nav>
      )}
      <main id="main" tabIndex={-1}>
        {at === "/" ? (
          <Home me={props.me} nav={nav} />
        ) : found ? (
          <div key={at}>{found.route.view(found.params, props.me)}</div>
        ) : (
          <Page title={t("app.notFound")}>
            <p>
              <a href="#/">{t("nav.home")}</a>
            </p>
          </Page>
        )}
      </main>
    </>
  );
}

function Header(props: { me?: Me }) {
  const current = useSignal(lang);
  return (
    <header class="top">
      <a class="brand" href="#/">
        {t("app.title")}
      </a>
      <div class="top-tools">
        {props.me && <span class="who">{props.me.person.display_name}</span>}
        <label class="lang">
          <span class="sr-only">{t("app.language")}</span>
          <select value={current} onChange={(e) => chooseLang(e.currentTarget.value as Lang)}>
            <option value="nl" lang="nl">
              Nederlands
            </option>
            <option value="en" lang="en">
              English
            </option>
          </select>
        </label>
        {props.me && (
          <button type="button" onClick={() => endSession()}>
            {t("app.signOut")}
          </button>
        )}
      </div>
    </header>
  );
}
