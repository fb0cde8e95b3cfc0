// Fault rules on the mock, and reset to the default data (which clears them).
import type { Router } from 'express';
import { parseOr400 } from '../../errors.ts';
import { describeRule, faultRulesSchema } from '../faults.ts';
import type { AdminDeps } from './common.ts';

export function faultRoutes(r: Router, deps: AdminDeps): void {
  const { store } = deps;
  const faultsView = () => ({
    rules: deps.faults.rules.map((r) => ({ ...r, description: describeRule(r) })),
    counters: deps.faults.counters(),
    hits: deps.faults.hits(),
  });
  r.get('/faults', (_req, res) => {
    res.json(faultsView());
  });
  r.put('/faults', async (req, res) => {
    const input = parseOr400(faultRulesSchema, req.body, 'fault rules');
    const before = deps.faults.rules;
    deps.faults.set(input.rules);
    try {
      await store.saveSetting('faults', { rules: deps.faults.rules });
    } catch (e) {
      // Not saved (a full disk): the rules in force stay the saved ones.
      deps.faults.set(before);
      throw e;
    }
    deps.faultsChanged?.();
    res.json(faultsView());
  });

  // Back to the default data; the fault rules go too.
  r.post('/reset', async (_req, res) => {
    // Saved first: on a full disk the reset is refused before anything goes.
    await store.saveSetting('faults', { rules: [] });
    deps.faults.set([]);
    await store.reset();
    res.json({ ok: true, services: store.services(), tokens: store.tokens() });
  });
}
