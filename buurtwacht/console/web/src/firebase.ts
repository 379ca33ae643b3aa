// Firebase Authentication's web SDK (bundled, loaded only in `firebase` and `emulator` mode): password or
// e-mail link. In `emulator` mode it talks to the Firebase Auth emulator instead of Google.
import { initializeApp } from "firebase/app";
import {
  connectAuthEmulator,
  getAuth,
  isSignInWithEmailLink,
  onIdTokenChanged,
  sendSignInLinkToEmail,
  signInWithEmailAndPassword,
  signInWithEmailLink,
  signOut,
  type Auth,
  type User,
} from "firebase/auth";

const LINK_EMAIL = "buurtwacht.console.linkEmail";
let auth: Auth | null = null;

export async function start(
  options: { apiKey: string; authDomain: string; projectId: string },
  emulatorUrl: string | null,
  changed: (token: string | null, expiresAt: number) => void,
): Promise<{ token: () => Promise<string | null>; signOut: () => Promise<void> }> {
  auth = getAuth(initializeApp(options));
  // Without disableWarnings the SDK adds a banner with inline styles, which the page's CSP refuses.
  if (emulatorUrl) connectAuthEmulator(auth, emulatorUrl, { disableWarnings: true });
  const tell = async (user: User | null): Promise<void> => {
    if (!user) return changed(null, 0);
    try {
      const result = await user.getIdTokenResult();
      // When the SDK itself takes the token for expired: by this browser's clock, which may differ from Google's.
      const kept = (user.toJSON() as { stsTokenManager?: { expirationTime?: number } }).stsTokenManager;
      changed(result.token, kept?.expirationTime ?? Date.parse(result.expirationTime));
    } catch {
      // Not renewable: the SDK signs out, or the next call to the API does (token below).
    }
  };
  // The person kept from an earlier visit is known before the first page is drawn: no sign-in page flashes.
  await auth.authStateReady();
  await tell(auth.currentUser);
  onIdTokenChanged(auth, (user) => void tell(user));
  const email = localStorage.getItem(LINK_EMAIL);
  if (email && isSignInWithEmailLink(auth, location.href)) {
    await signInWithEmailLink(auth, email, location.href);
    localStorage.removeItem(LINK_EMAIL);
    history.replaceState(null, "", location.pathname);
  }
  const current = auth;
  return {
    token: async () => {
      const user = current.currentUser;
      if (!user) return null;
      try {
        return await user.getIdToken();
      } catch (failure) {
        // A refresh that Firebase refused (not a network failure) leaves a token that will not be renewed: the
        // session is over. The SDK signs out by itself for some refusals (revoked, disabled); this covers the rest.
        if ((failure as { code?: string }).code !== "auth/network-request-failed") await signOut(current);
        throw failure;
      }
    },
    signOut: () => signOut(current),
  };
}

export async function withPassword(email: string, password: string): Promise<void> {
  if (!auth) throw new Error("firebase not started");
  await signInWithEmailAndPassword(auth, email, password);
}

export async function sendLink(email: string): Promise<void> {
  if (!auth) throw new Error("firebase not started");
  await sendSignInLinkToEmail(auth, email, { url: location.origin + location.pathname, handleCodeInApp: true });
  localStorage.setItem(LINK_EMAIL, email);
}
