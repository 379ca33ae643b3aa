// Dutch: the console's first language and the source of every key (en.ts must have the same keys).
// Keys are grouped by page with a prefix; `{name}` holes are filled by t(key, {name}).
export const nl = {
  "app.title": "Buurtwacht console",
  "app.loading": "Laden…",
  "app.skip": "Naar de inhoud",
  "app.language": "Taal",
  "app.signOut": "Afmelden",
  "app.nav": "Hoofdmenu",
  "app.notFound": "Deze pagina bestaat niet.",
  "app.sessionEnded": "Je sessie is verlopen. Meld je opnieuw aan.",
  "app.retry": "Opnieuw proberen",
  "app.save": "Opslaan",
  "app.cancel": "Annuleren",
  "app.close": "Sluiten",
  "app.none": "Niets om te tonen.",
  "app.error": "Fout {status}: {message}",
  "app.networkError": "De server is niet bereikbaar.",
  "app.done": "Gelukt.",
  "app.print": "Afdrukken",

  "signin.title": "Aanmelden",
  "signin.devIntro": "Ontwikkelomgeving: kies een persoon om als die aan te melden.",
  "signin.as": "Aanmelden als {name}",
  "signin.email": "E-mailadres",
  "signin.password": "Wachtwoord",
  "signin.submit": "Aanmelden",
  "signin.sendLink": "Stuur mij een aanmeldlink",
  "signin.linkSent": "We hebben een aanmeldlink gestuurd naar {email}. Open die in deze browser.",
  "signin.notConfigured": "Aanmelden is op deze server nog niet ingesteld (BUURTWACHT_FIREBASE_WEB_API_KEY ontbreekt).",
  "signin.failed": "Aanmelden is mislukt. Controleer je e-mailadres en wachtwoord.",
  "role.admin": "gemeente",
  "role.officer": "wijkagent",
  "role.coordinator": "coördinator",
  "role.volunteer": "vrijwilliger",

  "home.title": "Welkom, {name}",
  "home.intro": "Kies hieronder wat je wilt doen.",
  "home.nothing": "Er is hier niets voor jou: de console is voor coördinatoren, de wijkagent en de gemeente. Gebruik de app op je telefoon.",
  "home.pending": "Je aanvraag voor {group} wacht nog op goedkeuring.",

  "nav.home": "Start",
  "nav.roster": "Rooster",
  "nav.members": "Leden",
  "nav.review": "Te beoordelen",
} as const;

export type Key = keyof typeof nl;
