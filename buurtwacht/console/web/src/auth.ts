// The session: an ID token sent as Bearer to /api/v1. In `local` mode it comes from the development
// sign-in (POST /api/v1/dev/token) and the session ends when it expires; in `firebase` and `emulator` mode
// from Firebase Authentication's web SDK, which refreshes it, and the session ends when it cannot. Sign-out
// forgets it.
import { config } from "./config";
import { signal } from "./store";

export interface Session {
  token: string;
  expiresAt: number; // ms since the epoch
}

const STORAGE = "buurtwacht.console.session";
export const session = signal<Session | null>(null);
/** Why the last session ended, shown on the sign-in page ("expired"), or null. */
export const ended = signal<"expired" | null>(null);

let expiryTimer: number | undefined;
let firebaseToken: (() => Promise<string | null>) | null = null;
let firebaseSignOut: (() => Promise<void>) | null = null;

function watchExpiry(current: Session | null): void {
  window.clearTimeout(expiryTimer);
  if (!current) return;
  // A development token cannot be renewed: the session ends with it. Firebase's SDK renews its token only when
  // asked for it (it refreshes ahead by itself only for Firestore and the like): asked as the token expires, a
  // refused renewal ends the session then, not at the next click.
  const expire = () =>
    config().auth_mode === "local" ? endSession("expired") : void firebaseToken?.().catch(() => undefined);
  expiryTimer = window.setTimeout(expire, Math.max(0, current.expiresAt - Date.now()));
}

export function startSession(token: string, expiresAt: number): void {
  const next = { token, expiresAt };
  if (config().auth_mode === "local") sessionStorage.setItem(STORAGE, JSON.stringify(next));
  ended.set(null);
  session.set(next);
  watchExpiry(next);
}

export function endSession(reason: "expired" | null = null): void {
  sessionStorage.removeItem(STORAGE);
  window.clearTimeout(expiryTimer);
  ended.set(reason);
  session.set(null);
  if (firebaseSignOut) void firebaseSignOut();
}

/** The token to send now (Firebase refreshes its own), or null when signed out or expired. */
export async function currentToken(): Promise<string | null> {
  if (firebaseToken) return firebaseToken();
  const current = session.get();
  if (!current) return null;
  if (current.expiresAt <= Date.now()) {
    endSession("expired");
    return null;
  }
  return current.token;
}

/** Resume a session kept in this tab (local mode) or by the Firebase SDK. */
export async function resumeSession(): Promise<void> {
  const settings = config();
  if (settings.auth_mode === "local") {
    const kept = sessionStorage.getItem(STORAGE);
    if (!kept) return;
    const parsed = JSON.parse(kept) as Session;
    if (parsed.expiresAt > Date.now()) {
      session.set(parsed);
      watchExpiry(parsed);
    } else {
      sessionStorage.removeItem(STORAGE);
      ended.set("expired");
    }
    return;
  }
  if (settings.firebase) {
    const firebase = await import("./firebase");
    const handle = await firebase.start(settings.firebase, settings.auth_emulator_url, (token, expiresAt) => {
      if (token) {
        const next = { token, expiresAt };
        ended.set(null);
        session.set(next);
        watchExpiry(next);
      } else if (session.get()) {
        // The SDK signed out by itself (endSession clears the session first): its token could not be renewed.
        window.clearTimeout(expiryTimer);
        ended.set("expired");
        session.set(null);
      }
    });
    firebaseToken = handle.token;
    firebaseSignOut = handle.signOut;
  }
}
