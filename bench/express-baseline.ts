// Baseline: plain Express 5 answering a JSON POST with 200, nothing stored.
// The ceiling the product's ingest is measured against.
import express from 'express';

const port = Number(process.argv[2]);
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/healthz', (_req, res) => {
  res.json({ ok: true });
});
app.post('/v1/process', express.json(), (req, res) => {
  res.status(200).json({ ok: true, eventId: (req.body as { eventId?: string }).eventId ?? null });
});
app.listen(port, '127.0.0.1');
