// A service's filters as edited on the page: the draft, what it was based on,
// its problems (local checks and the server's answer), saving and maintenance.
import { useMemo, useState } from 'react';
import type { Filter, Service } from '../../../../server/contract.ts';
import { api, ApiError } from '../../lib/api.ts';
import { cloneFilters, sameFilters, validateFilters, type Problem } from './limits.ts';

export type SaveMessage = { tone: 'ok' | 'error'; text: string };

export function useFilterDraft(service: Service) {
  const [baseline, setBaseline] = useState<Filter[]>(service.filters);
  const [draft, setDraft] = useState<Filter[]>(() => cloneFilters(service.filters));
  const [serverProblems, setServerProblems] = useState<Problem[]>([]);
  const [message, setMessage] = useState<SaveMessage | null>(null);
  const [saving, setSaving] = useState(false);
  // The switch shows the requested state until the live update confirms it.
  const [maintWanted, setMaintWanted] = useState<boolean | null>(null);
  if (maintWanted !== null && maintWanted === service.maintenance) setMaintWanted(null);
  const maintenance = maintWanted ?? service.maintenance;

  const dirty = !sameFilters(draft, baseline);
  const changedElsewhere = !sameFilters(service.filters, baseline);
  if (changedElsewhere && !dirty) {
    // Someone else saved and nothing here is unsaved: follow the server.
    setBaseline(service.filters);
    setDraft(cloneFilters(service.filters));
  }

  const problems = useMemo(() => validateFilters(draft), [draft]);
  const all = [...problems, ...serverProblems];

  const edit = (next: Filter[]) => {
    setDraft(next);
    setServerProblems([]);
    setMessage(null);
  };

  const save = async () => {
    setSaving(true);
    setMessage(null);
    try {
      const s = await api.saveFilters(service.id, draft);
      setBaseline(s.filters);
      setDraft(cloneFilters(s.filters));
      setServerProblems([]);
      setMessage({ tone: 'ok', text: 'Saved. The next request uses these filters.' });
    } catch (e) {
      if (e instanceof ApiError) {
        setServerProblems(e.details.map((d) => ({ path: d.path, message: d.message })));
        setMessage({ tone: 'error', text: e.message });
      } else setMessage({ tone: 'error', text: String(e) });
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setBaseline(service.filters);
    edit(cloneFilters(service.filters));
  };

  const setMaintenance = async (on: boolean) => {
    setMaintWanted(on);
    try {
      await api.patchService(service.id, { maintenance: on });
    } catch (e) {
      setMaintWanted(null);
      setMessage({ tone: 'error', text: e instanceof ApiError ? e.message : String(e) });
    }
  };

  const move = (i: number, delta: -1 | 1) => {
    const j = i + delta;
    if (j < 0 || j >= draft.length) return;
    const next = draft.slice();
    [next[i], next[j]] = [next[j]!, next[i]!];
    edit(next);
  };

  return { draft, dirty, changedElsewhere, problems, all, message, saving, maintenance, edit, save, discard, setMaintenance, move };
}

export type FilterDraft = ReturnType<typeof useFilterDraft>;
