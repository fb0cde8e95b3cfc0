// The integration guide's sample payloads (section 5), for the dry run: the
// same files the README's curl commands and the tests send.
export { default as SAMPLE_OPEN } from '../../../../fixtures/payloads/sedai-open.json';
export { default as SAMPLE_RESOLVED } from '../../../../fixtures/payloads/sedai-resolved.json';
