/** Socket.IO room names. */
export const chainRoom = (chainId: string) => `chain:${chainId}`;
export const pickupRoom = (communityId: string, date: string, dropPointId: string) =>
  `pickup:${communityId}:${date}:${dropPointId}`;

/** Every socket of one session (by token hash), so signing out can reach them. */
export const sessionRoom = (tokenHash: string) => `session:${tokenHash}`;

/** The community a room belongs to, or null for rooms that are not ours (socket ids). */
export function communityOfRoom(room: string): string | null {
  if (room.startsWith("chain:")) return room.slice(6, room.indexOf("-"));
  if (room.startsWith("pickup:")) return room.split(":")[1] ?? null;
  return null;
}
