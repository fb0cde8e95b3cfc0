import type { ReactNode } from 'react';
import { useLive } from './lib/live.tsx';
import { href, useRoute, type View } from './lib/router.ts';
import { InfoProvider } from './lib/info.tsx';
import { Icon, type IconName } from './components/Icon.tsx';
import { ConnectionBadge, OfflineBanner } from './components/ConnectionBadge.tsx';
import { OverviewView } from './features/overview/OverviewView.tsx';
import { IncidentsView } from './features/incidents/IncidentsView.tsx';
import { ApiLogView } from './features/api-log/ApiLogView.tsx';
import { FiltersView } from './features/filters/FiltersView.tsx';
import { TokensView } from './features/tokens/TokensView.tsx';
import { SimulatorView } from './features/simulator/SimulatorView.tsx';
import { FaultsView } from './features/faults/FaultsView.tsx';
import { FaultsProvider, useFaults } from './features/faults/state.tsx';

const NAV: { view: View; label: string; icon: IconName }[] = [
  { view: 'overview', label: 'Overview', icon: 'overview' },
  { view: 'incidents', label: 'Incidents', icon: 'incidents' },
  { view: 'api-log', label: 'API log', icon: 'log' },
  { view: 'filters', label: 'API filters', icon: 'filters' },
  { view: 'faults', label: 'Fault injection', icon: 'faults' },
  { view: 'simulator', label: 'Simulator', icon: 'simulator' },
  { view: 'tokens', label: 'Tokens', icon: 'tokens' },
];

function FaultsOn() {
  const { faults } = useFaults();
  const on = faults.state === 'ready' ? faults.value.rules.filter((r) => r.enabled).length : 0;
  if (!on) return null;
  return (
    <span className="nav-count nav-count-fault" title={`${on} fault rule${on === 1 ? '' : 's'} on: the mock fails some requests on purpose`}>
      on
    </span>
  );
}

function NavCount({ view }: { view: View }) {
  const live = useLive();
  if (view === 'faults') return <FaultsOn />;
  let n: number | null = null;
  if (view === 'incidents') n = live.incidentCounts.triggered + live.incidentCounts.acknowledged;
  if (view === 'api-log') n = live.logTotal;
  if (view === 'simulator') {
    if (!live.simulator?.status.running) return null;
    return (
      <span className="nav-count nav-count-live" title="The schedule is running">
        on
      </span>
    );
  }
  if (!n) return null;
  return <span className={`nav-count ${view === 'incidents' ? 'nav-count-hot' : ''}`}>{n > 9999 ? '9999+' : n}</span>;
}

export function App() {
  const route = useRoute();
  const live = useLive();
  let content: ReactNode;
  switch (route.view) {
    case 'overview':
      content = <OverviewView />;
      break;
    case 'incidents':
      content = <IncidentsView selectedId={route.id} />;
      break;
    case 'api-log':
      content = <ApiLogView selectedId={route.id} />;
      break;
    case 'filters':
      content = <FiltersView selectedServiceId={route.id} />;
      break;
    case 'simulator':
      content = <SimulatorView tab={route.id} />;
      break;
    case 'faults':
      content = <FaultsView />;
      break;
    case 'tokens':
      content = <TokensView />;
      break;
  }
  return (
    <InfoProvider epoch={live.epoch}>
      <FaultsProvider>
        <div className="shell">
          <aside className="sidebar">
            <div className="brand">
              <span className="brand-mark" aria-hidden>
                ✓
              </span>
              <div>
                <div className="brand-name">Callgoose mock</div>
                <div className="brand-sub">Sedai integration sim</div>
              </div>
            </div>
            <nav aria-label="Main">
              <ul>
                {NAV.map((n) => (
                  <li key={n.view}>
                    <a href={href(n.view)} className={route.view === n.view ? 'active' : ''} aria-current={route.view === n.view ? 'page' : undefined}>
                      <span className="nav-icon">
                        <Icon name={n.icon} />
                      </span>
                      {n.label}
                      <NavCount view={n.view} />
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div className="sidebar-foot">
              <ConnectionBadge />
            </div>
          </aside>
          <main className="main">
            <OfflineBanner />
            {content}
          </main>
        </div>
      </FaultsProvider>
    </InfoProvider>
  );
}
