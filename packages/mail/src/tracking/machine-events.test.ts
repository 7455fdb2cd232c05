import { describe, expect, it } from 'vitest';
import { isMachineEvent } from './machine-events';
import type { MachineReason, TrackingEventKind } from './machine-events';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const APPLE_MAIL_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148';
const OUTLOOK_DESKTOP = 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.15225; Pro)';
const OUTLOOK_2010 =
  'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 6.1; Trident/4.0; Microsoft Outlook 14.0.7109; ms-office; MSOffice 14)';
const CUBOT =
  'Mozilla/5.0 (Linux; Android 10; CUBOT P40) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36';

describe('isMachineEvent', () => {
  it.each<[string, TrackingEventKind, string | undefined, number | undefined, MachineReason | undefined]>([
    // Readers.
    ['Chrome click a minute after delivery', 'click', CHROME, 60, undefined],
    ['Apple Mail open', 'open', APPLE_MAIL_IOS, 3600, undefined],
    ['Outlook desktop open', 'open', OUTLOOK_DESKTOP, 120, undefined],
    ['Outlook 2010 open', 'open', OUTLOOK_2010, 120, undefined],
    [
      'Thunderbird open',
      'open',
      'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.9.0',
      30,
      undefined,
    ],
    ['Cubot phone click', 'click', CUBOT, 30, undefined],
    ['open at exactly 2 s', 'open', CHROME, 2, undefined],
    ['click at exactly 5 s', 'click', CHROME, 5, undefined],
    ['unknown delivery time', 'click', CHROME, undefined, undefined],
    // Proxies and prefetchers.
    ['Apple MPP prefetch', 'open', 'Mozilla/5.0', 600, 'apple-mail-privacy-protection'],
    [
      'Gmail image proxy',
      'open',
      'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)',
      600,
      'gmail-image-proxy',
    ],
    [
      'Yahoo Mail proxy',
      'open',
      'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html',
      600,
      'yahoo-mail-proxy',
    ],
    // Link checkers and scanners.
    ['Office existence discovery', 'click', 'Microsoft Office Existence Discovery', 600, 'office-link-check'],
    ['Outlook desktop fetching a link itself', 'click', OUTLOOK_DESKTOP, 600, 'office-link-check'],
    ['ms-office click', 'click', OUTLOOK_2010, 600, 'office-link-check'],
    ['Mimecast', 'click', 'Mozilla/5.0 (compatible; Mimecast URL Protect)', 600, 'security-scanner'],
    ['Proofpoint', 'click', 'Proofpoint URL Defense/1.0', 600, 'security-scanner'],
    ['Barracuda', 'click', 'Barracuda Sentinel (EE)', 600, 'security-scanner'],
    ['Safe Links', 'click', 'Mozilla/5.0 SafeLinks', 600, 'security-scanner'],
    [
      'bingbot',
      'click',
      'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
      600,
      'automated-client',
    ],
    [
      'BingPreview',
      'click',
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) BingPreview/1.0b',
      600,
      'automated-client',
    ],
    [
      'Slack unfurler',
      'click',
      'Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)',
      600,
      'automated-client',
    ],
    ['headless Chrome', 'click', CHROME.replace('Chrome/', 'HeadlessChrome/'), 600, 'automated-client'],
    ['a crawler', 'open', 'ExampleCrawler/1.0', 600, 'automated-client'],
    ['curl', 'click', 'curl/8.5.0', 600, 'automated-client'],
    ['python-requests', 'click', 'python-requests/2.31.0', 600, 'automated-client'],
    ['Go HTTP client', 'open', 'Go-http-client/1.1', 600, 'automated-client'],
    // No agent at all.
    ['missing user agent', 'open', undefined, 600, 'no-user-agent'],
    ['blank user agent', 'click', '  ', 600, 'no-user-agent'],
    // Timing.
    ['open 1.5 s after delivery', 'open', CHROME, 1.5, 'too-soon-after-delivery'],
    ['click 4.9 s after delivery', 'click', CHROME, 4.9, 'too-soon-after-delivery'],
    ['click before delivery was recorded', 'click', CHROME, -3, 'too-soon-after-delivery'],
    ['open 3 s after delivery', 'open', CHROME, 3, undefined],
  ])('%s', (_label, kind, userAgent, secondsSinceDelivery, reason) => {
    expect(isMachineEvent({ kind, userAgent, secondsSinceDelivery })).toEqual(
      reason ? { machine: true, reason } : { machine: false },
    );
  });

  it('names the agent over the timing when both apply', () => {
    expect(isMachineEvent({ kind: 'open', userAgent: 'Mozilla/5.0', secondsSinceDelivery: 0.4 })).toEqual({
      machine: true,
      reason: 'apple-mail-privacy-protection',
    });
  });
});
