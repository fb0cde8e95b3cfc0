// A few stroke icons as inline SVG: glyph fonts are not on every machine.
const PATHS = {
  overview: 'M3 3h7v9H3zM14 3h7v5h-7zM14 12h7v9h-7zM3 16h7v5H3z',
  incidents: 'M5 21V4M5 4h11l-2 4 2 4H5',
  log: 'M8 6h13M8 12h13M8 18h13M3 6h.01M3 12h.01M3 18h.01',
  filters: 'M3 4h18l-7 8v6l-4 2v-8z',
  simulator: 'M4 12h3l2-6 4 12 2-6h5',
  faults: 'M13 2 4 14h7l-1 8 9-12h-7z',
  tokens: 'M15 7a4 4 0 1 1-3.9 4.9L4 19v2h3v-2h2v-2h2l1.1-1.1A4 4 0 0 1 15 7z',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 18 }: { name: IconName; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d={PATHS[name]} />
    </svg>
  );
}
