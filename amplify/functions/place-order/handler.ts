/** Placeholder entry point until the saga's handler lands. */
export const handler = async (event: unknown): Promise<unknown> => {
  throw new Error('place-order is not implemented yet: ' + JSON.stringify(event).slice(0, 80));
};
