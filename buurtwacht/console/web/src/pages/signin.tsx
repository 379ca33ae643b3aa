// Sign-in: the development list of people (AUTH_MODE=local) or Firebase's e-mail and password / link (AUTH_MODE
// firebase, or emulator with the Firebase Auth emulator).
import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { ended, startSession } from "../auth";
import { ErrorView, Loading, Page } from "../components/ui";
import { config } from "../config";
import { useAction, useLoad } from "../hooks";
import { t, type Key } from "../i18n";
import { useSignal } from "../store";

export function SignIn() {
  const why = useSignal(ended);
  const mode = config().auth_mode;
  return (
    <Page title={t("signin.title")}>
      {why === "expired" && (
        <p class="error" role="alert">
          {t("app.sessionEnded")}
        </p>
      )}
      {mode !== "local" ? (
        <FirebaseSignIn />
      ) : config().dev_sign_in ? (
        <DevelopmentSignIn />
      ) : (
        <p>{t("signin.devOff")}</p>
      )}
    </Page>
  );
}

function DevelopmentSignIn() {
  const people = useLoad(() => ok(api.GET("/api/v1/dev/people")), []);
  const action = useAction();
  const signInAs = (personId: string) =>
    action.run(async () => {
      const answer = await ok(api.POST("/api/v1/dev/token", { body: { person_id: personId } }));
      startSession(answer.id_token, Date.parse(answer.expires_at));
    });
  return (
    <>
      <p>{t("signin.devIntro")}</p>
      {people.loading && <Loading />}
      <ErrorView error={people.error ?? action.error} />
      <ul class="people">
        {people.data?.map((person) => (
          <li key={person.id}>
            <button type="button" disabled={action.busy} onClick={() => signInAs(person.id)}>
              <span class="sr-only">{t("signin.as", { name: person.display_name })}</span>
              <span aria-hidden="true">{person.display_name}</span>
            </button>{" "}
            <span class="muted">
              {person.email}
              {person.roles.length > 0 && ` · ${person.roles.map((role) => t(`role.${role}` as Key)).join(", ")}`}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}

function FirebaseSignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [failed, setFailed] = useState<Key | null>(null);
  if (!config().firebase) return <p class="error">{t("signin.notConfigured")}</p>;
  const submit = async (event: Event) => {
    event.preventDefault();
    setFailed(null);
    const firebase = await import("../firebase");
    try {
      if (password) await firebase.withPassword(email, password);
      else {
        await firebase.sendLink(email);
        setMessage(t("signin.linkSent", { email }));
      }
    } catch (failure) {
      // A refusal is the person's to fix; an unreachable sign-in service is not.
      const unreachable = (failure as { code?: string }).code === "auth/network-request-failed";
      setFailed(unreachable ? "signin.unreachable" : "signin.failed");
    }
  };
  return (
    <form onSubmit={submit} class="stack">
      <label>
        {t("signin.email")}
        <input type="email" required autocomplete="username" value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
      </label>
      <label>
        {t("signin.password")}
        <input
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
      </label>
      <div class="row">
        <button type="submit">{password ? t("signin.submit") : t("signin.sendLink")}</button>
      </div>
      {failed && (
        <p class="error" role="alert">
          {t(failed)}
        </p>
      )}
      {message && <p role="status">{message}</p>}
    </form>
  );
}
