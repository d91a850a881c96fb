/** Placeholder global setup for the local test project; the local backend's owner replaces it. */
export default function setup(): void {}
