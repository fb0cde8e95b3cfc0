// A warning once the open-incident limit (--max-open-incidents) has kept
// incidents from opening: how many, the limit, and what to do (docs §5.9).
import { useLive } from '../../lib/live.tsx';
import { ago } from '../../lib/format.ts';
import { useNow } from '../../lib/hooks.ts';

export function OpenLimitWarning() {
  const live = useLive();
  const now = useNow(10_000) + live.serverOffsetMs;
  const l = live.openLimit;
  if (!l || l.notOpened === 0) return null;
  return (
    <p className="warning" role="alert" data-testid="open-limit-warning">
      {l.notOpened.toLocaleString('en-US')} incident{l.notOpened === 1 ? ' was' : 's were'} not opened since start-up: the limit of{' '}
      {l.max.toLocaleString('en-US')} open incidents (--max-open-incidents) was reached
      {l.lastNotOpenedAt ? `, last ${ago(l.lastNotOpenedAt, now)}` : ''}. Each such request is in the API log with this explanation; resolve
      incidents, or start with a higher limit.
    </p>
  );
}
