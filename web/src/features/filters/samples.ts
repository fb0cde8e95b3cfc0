// The integration guide's sample payloads (section 5), for the dry run.
export const SAMPLE_OPEN = {
  eventId: 'evt-839201',
  eventType: 'Availability',
  title: 'High Error Rate Detected',
  message: "Error rate for service 'checkout-api' exceeded 5% threshold.",
  severity: 'CRITICAL',
  status: 'OPEN',
  resource: { name: 'checkout-api', type: 'Kubernetes Service', region: 'us-west-2' },
  timestamp: '2023-11-15T10:00:00Z',
  link: 'https://dashboard.sedai.io/events/evt-839201',
};

export const SAMPLE_RESOLVED = {
  eventId: 'evt-839201',
  eventType: 'Availability',
  title: 'High Error Rate Detected',
  message: "Error rate for service 'checkout-api' has returned to normal levels.",
  severity: 'INFO',
  status: 'RESOLVED',
  resource: { name: 'checkout-api', type: 'Kubernetes Service', region: 'us-west-2' },
  timestamp: '2023-11-15T10:15:00Z',
  resolvedAt: '2023-11-15T10:15:00Z',
};
