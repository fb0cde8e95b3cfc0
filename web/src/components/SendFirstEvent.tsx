// The first thing a new user needs: a command that sends the integration
// guide's sample payload to this server.
import { useServerInfo, useBaseUrl } from '../lib/info.tsx';
import { CodeBlock } from './CodeBlock.tsx';

export function SendFirstEvent({ payload = 'sedai-open' }: { payload?: string }) {
  const info = useServerInfo();
  const base = useBaseUrl();
  const masked = info?.defaultToken?.masked ?? '<token>';
  const cmd = `curl -X POST '${base}/v1/process?from=Sedai&token=<your token>' \\\n  -H 'Content-Type: application/json' \\\n  --data @fixtures/payloads/${payload}.json`;
  return (
    <div className="send-first">
      <p>Send the integration guide's sample payload from the repository folder:</p>
      <CodeBlock text={cmd} label="curl command" />
      <p className="muted small">
        Replace <code>&lt;your token&gt;</code> with the API token printed when the server started (the default token, shown masked here as{' '}
        <code>{masked}</code>), or create one under <a href="#/tokens">Tokens</a>. Then send <code>sedai-resolved.json</code> to close the
        incident.
      </p>
    </div>
  );
}
