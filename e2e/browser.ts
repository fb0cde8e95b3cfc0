// Which Chromium the tests use: $CHROMIUM_PATH, else Debian's /usr/bin/chromium,
// else (undefined) Playwright's own download.
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function systemChromium(exists: (p: string) => boolean): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && exists(fromEnv)) return fromEnv;
  if (exists('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}
