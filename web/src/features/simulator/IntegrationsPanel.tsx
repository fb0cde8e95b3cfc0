// Webhook integrations, as in the guide's step 3 (Settings › Integrations ›
// Notifications › Webhook): name, URL, method, format, enabled, headers,
// timeout, retry policy — and the Test button that sends the guide's sample
// OPEN now and shows the answer. The token in a URL stays masked until asked.
import { useState } from 'react';
import type { DeliveryAttempt, SimulatorView } from '../../../../server/contract.ts';
import { EmptyState } from '../../components/EmptyState.tsx';
import { IntegrationCard } from './IntegrationCard.tsx';
import { IntegrationEditor } from './IntegrationEditor.tsx';
import { integrationToForm, newIntegrationForm } from './model.ts';

const CATEGORIES = ['Availability', 'Performance', 'Cost', 'Remediation'] as const;

export function IntegrationsPanel({ sim, deliveries }: { sim: SimulatorView; deliveries: DeliveryAttempt[] }) {
  const [editing, setEditing] = useState<{ id: string | null } | null>(null);
  const routesOf = (id: string) => CATEGORIES.filter((c) => sim.scopes[c].enabled && sim.scopes[c].integrationIds.includes(id));
  const lastOf = (id: string) => deliveries.find((d) => d.integrationId === id) ?? null;
  const existing = editing?.id ? (sim.integrations.find((i) => i.id === editing.id) ?? null) : null;

  return (
    <div className="stack-l">
      <div className="row between gap wrap">
        <p className="muted panel-intro">
          Sedai › Settings › Integrations › Notifications › Webhook. Each integration receives the events of the scopes routed to it.
        </p>
        <button type="button" className="btn btn-primary" onClick={() => setEditing({ id: null })} disabled={editing !== null}>
          + Add integration
        </button>
      </div>
      {editing ? (
        <IntegrationEditor
          key={editing.id ?? 'new'}
          initial={existing ? integrationToForm(existing) : newIntegrationForm()}
          existing={existing}
          onDone={() => setEditing(null)}
        />
      ) : null}
      {sim.integrations.length === 0 ? (
        <div className="card">
          <EmptyState title="No integrations" icon="⇢">
            <p>Nothing receives the simulator’s events. Add a webhook integration with the Callgoose URL (Tokens › copy the webhook URL).</p>
          </EmptyState>
        </div>
      ) : (
        <div className="integration-list">
          {sim.integrations.map((i) => (
            <IntegrationCard key={i.id} integration={i} routes={routesOf(i.id)} last={lastOf(i.id)} onEdit={() => setEditing({ id: i.id })} />
          ))}
        </div>
      )}
    </div>
  );
}
