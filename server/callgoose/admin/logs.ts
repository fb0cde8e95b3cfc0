// The API log: search, one entry in full, and export as JSON or HAR.
import type { Router } from 'express';
import { z } from 'zod';
import { logQuerySchema } from '../../contract.ts';
import { notFound, parseOr400 } from '../../errors.ts';
import { harEntry, HAR_CREATOR } from '../har.ts';
import { isoNow, param, type AdminDeps } from './common.ts';

const exportQuerySchema = logQuerySchema.extend({ limit: z.coerce.number().int().min(1).optional() });

export function logRoutes(r: Router, deps: AdminDeps): void {
  const { store } = deps;
  r.get('/logs', (req, res) => {
    res.json(store.logs(parseOr400(logQuerySchema, req.query, 'query')));
  });

  // Every matching entry (the whole retained log by default), streamed one
  // entry at a time so that a 100,000-entry export is never held in memory.
  r.get('/logs/export', async (req, res) => {
    const format = req.query.format === 'har' ? 'har' : 'json';
    const query = parseOr400(exportQuerySchema, req.query, 'query');
    const summaries = store.logs({ ...query, limit: query.limit ?? Number.MAX_SAFE_INTEGER });
    const stamp = isoNow(deps).replace(/[:.]/g, '-');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="api-log-${stamp}.${format}"`);
    const write = (text: string) => (res.write(text) ? Promise.resolve() : new Promise<void>((r) => res.once('drain', () => r())));
    await write(
      format === 'har'
        ? `{"log":{"version":"1.2","creator":${JSON.stringify(HAR_CREATOR)},"entries":[`
        : `{"exportedAt":${JSON.stringify(isoNow(deps))},"count":${summaries.length},"entries":[`,
    );
    let first = true;
    for (const s of summaries) {
      if (res.destroyed) return;
      const e = await store.log(s.id);
      if (!e) continue;
      await write(`${first ? '' : ','}${JSON.stringify(format === 'har' ? harEntry(e, deps.publicUrl()) : e)}`);
      first = false;
    }
    res.end(format === 'har' ? ']}}' : ']}');
  });

  r.get('/logs/:id', async (req, res) => {
    const e = await store.log(param(req, 'id'));
    if (!e) throw notFound(`log entry ${param(req, 'id')}`);
    // Incidents of the entry that retention has since dropped, said as such (docs §5.9).
    const dropped = e.incidentIds.flatMap((id) => {
      const why = store.droppedIncident(id);
      return why ? [{ id, message: why }] : [];
    });
    res.json(dropped.length > 0 ? { ...e, droppedIncidents: dropped } : e);
  });
}
