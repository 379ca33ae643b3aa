// Firebase Authentication's web SDK (bundled, loaded only in `firebase` mode): password or e-mail link.
import { initializeApp } from "firebase/app";
import {
  getAuth,
  isSignInWithEmailLink,
  onIdTokenChanged,
  sendSignInLinkToEmail,
  signInWithEmailAndPassword,
  signInWithEmailLink,
  signOut,
  type Auth,
} from "firebase/auth";

const LINK_EMAIL = "buurtwacht.console.linkEmail";
let auth: Auth | null = null;

export async function start(
  options: { apiKey: string; authDomain: string; projectId: string },
  changed: (token: string | null, expiresAt: number) => void,
): Promise<{ token: () => Promise<string | null>; signOut: () => Promise<void> }> {
  auth = getAuth(initializeApp(options));
  onIdTokenChanged(auth, async (user) => {
    if (!user) return changed(null, 0);
    const result = await user.getIdTokenResult();
    changed(result.token, Date.parse(result.expirationTime));
  });
  const email = localStorage.getItem(LINK_EMAIL);
  if (email && isSignInWithEmailLink(auth, location.href)) {
    await signInWithEmailLink(auth, email, location.href);
    localStorage.removeItem(LINK_EMAIL);
    history.replaceState(null, "", location.pathname);
  }
  const current = auth;
  return {
    token: async () => (current.currentUser ? current.currentUser.getIdToken() : null),
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
