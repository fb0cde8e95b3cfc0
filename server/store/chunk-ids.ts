// Which chunk file of incidents (incident-chunks.ts) an incident id belongs to.

/** Incident ids per chunk file. */
export const CHUNK_IDS = 1000;
/** The chunk of incidents whose ids are not INC-n (only ever written by hand). */
export const OTHER_CHUNK = -1;

export function chunkOf(id: string): number {
  // Written as the store writes them: no leading zeros, so that INC-n names one id.
  const m = /^INC-(0|[1-9]\d{0,14})$/.exec(id);
  return m ? Math.floor(Number(m[1]) / CHUNK_IDS) : OTHER_CHUNK;
}
