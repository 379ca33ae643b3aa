// What the server tells the console before sign-in (GET /console/config.json, buurtwacht/console/routes.py).
export interface ConsoleConfig {
  auth_mode: "local" | "firebase" | "emulator";
  /** The Firebase Auth emulator's URL in `emulator` mode (the web SDK is pointed at it), else null. */
  auth_emulator_url: string | null;
  dev_sign_in: boolean;
  firebase: { apiKey: string; authDomain: string; projectId: string } | null;
  tiles: { url: string; attribution: string };
  timezone: string;
}

let loaded: ConsoleConfig | null = null;

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch("/console/config.json", { headers: { Accept: "application/json" } });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  loaded = (await response.json()) as ConsoleConfig;
  return loaded;
}

export function config(): ConsoleConfig {
  if (!loaded) throw new Error("config not loaded");
  return loaded;
}
