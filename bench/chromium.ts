import { chromium, type Browser } from '@playwright/test';

/**
 * Debian's Chromium (browsers cannot be downloaded here), launched the same
 * way for every UI bench so their figures compare: software rendering, no
 * background traffic, no /dev/shm limit.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-dev-shm-usage',
    ],
  });
}
