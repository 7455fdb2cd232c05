export type TrackingEventKind = 'open' | 'click';

/** Why an open or click was judged automated. */
export type MachineReason =
  | 'no-user-agent'
  | 'apple-mail-privacy-protection'
  | 'gmail-image-proxy'
  | 'yahoo-mail-proxy'
  | 'office-link-check'
  | 'security-scanner'
  | 'automated-client'
  | 'too-soon-after-delivery';

export interface TrackingEventSignals {
  kind: TrackingEventKind;
  userAgent?: string;
  /** Seconds from the receiving server's acceptance (our `delivered`) to this request. */
  secondsSinceDelivery?: number;
}

export interface MachineVerdict {
  machine: boolean;
  reason?: MachineReason;
}

/**
 * Events sooner than this after delivery are machine-made: an open under 2 s, a click under 5 s.
 * No reader can notice, open and (for a click) read to a link that fast, while gateways and MPP
 * fetch as the message is accepted. The windows are kept short so they never eat real
 * engagement; sandboxes that detonate later (Defender Safe Attachments clicks are reported
 * within about a minute) get past them unless their agent gives them away. A negative value, an
 * event stamped before the delivery it follows, comes from a gateway fetching links while the
 * SMTP transaction is still open, and counts as machine too.
 */
export const MACHINE_EVENT_WINDOW_S: Readonly<Record<TrackingEventKind, number>> = { open: 2, click: 5 };

interface UserAgentRule {
  reason: MachineReason;
  pattern: RegExp;
  /** Kinds the rule applies to; both when absent. */
  only?: TrackingEventKind;
}

// First match wins, so the specific names come before the generic words.
const USER_AGENT_RULES: readonly UserAgentRule[] = [
  // Apple Mail Privacy Protection prefetches every remote image through Apple's proxies on
  // delivery, with the bare user agent "Mozilla/5.0" since 2021-09-20 (ua-parser/uap-core#509;
  // the prefetch itself: help.socketlabs.com "Identifying Apple MPP opens"). No browser or mail
  // client sends just that.
  { reason: 'apple-mail-privacy-protection', pattern: /^Mozilla\/5\.0$/ },
  // Gmail fetches images through its proxy, "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko
  // Firefox/11.0 (via ggpht.com GoogleImageProxy)" (ua-parser/uap-core#170,
  // faisalman/ua-parser-js#494). It does so when the message is displayed, then caches, so the
  // first such open usually has a reader behind it: callers wanting "proxied, probably human"
  // can key on this reason rather than discard it.
  { reason: 'gmail-image-proxy', pattern: /GoogleImageProxy|via ggpht\.com/i },
  // Yahoo Mail's image proxy, "YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html"
  // (faisalman/ua-parser-js#494, ua-parser/uap-core#333, JayBizzle/Crawler-Detect#393).
  { reason: 'yahoo-mail-proxy', pattern: /YahooMailProxy/i },
  // Microsoft Office checks a link before handing it to the browser ("Microsoft Office Existence
  // Discovery", "ms-office"/"MSOffice" tokens) and Safe Links re-checks at time of click with the
  // same family of agents. Clicks only: on an open, these tokens are Outlook for Windows itself
  // loading images for a reader ("...; Microsoft Outlook 14.0.7109; ms-office; MSOffice 14)",
  // ua-parser/uap-core#29; "Microsoft Office/16.0 (...; Microsoft Outlook 16.0.15225; Pro)").
  {
    reason: 'office-link-check',
    pattern: /Existence Discovery|\bms-office\b|\bMSOffice\b|^Microsoft Office\//i,
    only: 'click',
  },
  // Mail security gateways that name themselves. Most (Defender/Safe Links detonation,
  // Mimecast, Proofpoint, Barracuda) send a plain desktop Chrome agent instead and are caught
  // only by the timing rule; these tokens cover the ones that do not.
  {
    reason: 'security-scanner',
    pattern:
      /safelinks|urldefense|mimecast|proofpoint|barracuda|ironport|messagelabs|symantec|sophos|trend ?micro|forcepoint|fortiguard|cloudmark/i,
  },
  // Crawlers, link unfurlers, previewers, headless browsers and HTTP libraries. `(?<!cu)` spares
  // Cubot phones ("Android 10; CUBOT P40"), whose model name ends in "bot".
  {
    reason: 'automated-client',
    pattern:
      /(?<!cu)bot\b|crawl|spider|slurp|preview|headless|phantomjs|puppeteer|playwright|lighthouse|facebookexternalhit|python-requests|python-urllib|aiohttp|httpx|go-http-client|okhttp|\bjava\/|\bcurl\/|\bwget\/|libwww-perl|axios\/|node-fetch|undici|scrapy/i,
  },
];

/**
 * Flags opens and clicks made by prefetchers, proxies and scanners rather than a reader: by
 * user agent (see the rules above for each source) and by how soon after delivery the event
 * came ({@link MACHINE_EVENT_WINDOW_S}). Without a user agent the event is machine: every mail
 * client and browser sends one.
 */
export function isMachineEvent(event: TrackingEventSignals): MachineVerdict {
  const userAgent = event.userAgent?.trim() ?? '';
  if (userAgent === '') return { machine: true, reason: 'no-user-agent' };
  const rule = USER_AGENT_RULES.find(
    ({ pattern, only }) => (only === undefined || only === event.kind) && pattern.test(userAgent),
  );
  if (rule) return { machine: true, reason: rule.reason };
  const seconds = event.secondsSinceDelivery;
  if (seconds !== undefined && seconds < MACHINE_EVENT_WINDOW_S[event.kind]) {
    return { machine: true, reason: 'too-soon-after-delivery' };
  }
  return { machine: false };
}
