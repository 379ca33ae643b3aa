// Start: read the server's settings, resume a session, then draw the app.
import "leaflet/dist/leaflet.css";
import "./style.css";
import { render } from "preact";
import { App } from "./app";
import { resumeSession } from "./auth";
import { loadConfig } from "./config";

async function main(): Promise<void> {
  const root = document.getElementById("app");
  if (!root) return;
  try {
    await loadConfig();
    await resumeSession();
  } catch (failure) {
    root.textContent = `De console kon niet starten / The console could not start: ${String(failure)}`;
    return;
  }
  root.textContent = "";
  render(<App />, root);
}

void main();
