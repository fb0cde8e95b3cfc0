import type { IncidentStatus, LogOutcome } from '../../../server/contract.ts';

const STATUS_LABEL: Record<IncidentStatus, string> = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

export function StatusBadge({ status }: { status: IncidentStatus }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABEL[status]}</span>;
}

export function UrgencyBadge({ urgency }: { urgency: 'High' | 'Low' }) {
  return <span className={`urgency urgency-${urgency.toLowerCase()}`}>{urgency}</span>;
}

const OUTCOME_LABEL: Record<LogOutcome, string> = {
  created: 'Created',
  resolved: 'Resolved',
  duplicate: 'Duplicate',
  nothing: 'No incident',
  unauthorized: 'Unauthorized',
  rejected: 'Rejected',
};

export function OutcomeBadge({ outcome }: { outcome: LogOutcome }) {
  return <span className={`badge outcome-${outcome}`}>{OUTCOME_LABEL[outcome]}</span>;
}

export const OUTCOMES: { value: LogOutcome; label: string }[] = (Object.keys(OUTCOME_LABEL) as LogOutcome[]).map((value) => ({
  value,
  label: OUTCOME_LABEL[value],
}));

export function HttpStatus({ status }: { status: number }) {
  const cls = status >= 500 ? 'http-5xx' : status >= 400 ? 'http-4xx' : status === 202 ? 'http-202' : 'http-2xx';
  return <span className={`http ${cls}`}>{status}</span>;
}
