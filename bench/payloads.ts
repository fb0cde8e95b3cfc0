// Sedai webhook bodies, indented like the guide's samples (~450 bytes), with an
// eventId per lifecycle, so OPENs create incidents and RESOLVEDs close them.
export function sedaiOpen(eventId: string): string {
  return JSON.stringify({
    eventId,
    eventType: 'Availability',
    title: 'High Error Rate Detected',
    message: "Error rate for service 'checkout-api' exceeded 5% threshold.",
    severity: 'CRITICAL',
    status: 'OPEN',
    resource: { name: 'checkout-api', type: 'Kubernetes Service', region: 'us-west-2' },
    timestamp: '2023-11-15T10:00:00Z',
    link: `https://dashboard.sedai.io/events/${eventId}`,
  }, null, 2);
}

export function sedaiResolved(eventId: string): string {
  return JSON.stringify({
    eventId,
    eventType: 'Availability',
    title: 'High Error Rate Detected',
    message: "Error rate for service 'checkout-api' has returned to normal levels.",
    severity: 'INFO',
    status: 'RESOLVED',
    resource: { name: 'checkout-api', type: 'Kubernetes Service', region: 'us-west-2' },
    timestamp: '2023-11-15T10:15:00Z',
    resolvedAt: '2023-11-15T10:15:00Z',
  }, null, 2);
}

/** The plain-Express baseline's body: an OPEN like the product gets. */
export const BASELINE_BODY = sedaiOpen('evt-r1-c12-000123');
