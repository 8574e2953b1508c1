/**
 * Every Redis key is built here. All keys of one community share the hash tag `{<communityId>}`,
 * so a Redis Cluster can shard by community and every script stays inside one slot.
 * A few keys are global: sessions, invites, the setup token, the community list, the cutoff
 * schedule and the rate-limit counters. No script or transaction touches those together with a
 * community's keys: a community lists its sessions and invites in its own slot (`sessions`,
 * `invites`), written separately.
 */
export type ChainKeys = ReturnType<ReturnType<ReturnType<typeof makeKeys>["community"]>["chain"]>;
export type CommunityKeys = ReturnType<ReturnType<typeof makeKeys>["community"]>;
export type Keys = ReturnType<typeof makeKeys>;

export function makeKeys(prefix: string) {
  return {
    prefix,
    communities: `${prefix}:communities`,
    setup: `${prefix}:setup`,
    /** The ids of the community `npm run demo` made. */
    demo: `${prefix}:demo`,
    /** Held while a setup runs, so two setups at once make one community. */
    setupLock: `${prefix}:setup:lock`,
    session: (tokenHash: string) => `${prefix}:session:${tokenHash}`,
    invite: (tokenHash: string) => `${prefix}:invite:${tokenHash}`,
    /** Pub/sub channel every instance listens to: sessions that signed out. */
    sessionsChannel: `${prefix}:sessions`,
    /** zset chainId → cutoff ms, read by the closing sweep. */
    cutoffs: `${prefix}:cutoffs`,
    /** Written by /api/health (single and Sentinel modes): would a write be taken now? */
    healthProbe: `${prefix}:health`,
    /** Prefix of one limiter's counters; rate-limiter-flexible appends `:<ip or device hash>`. */
    rateLimit: (name: string) => `${prefix}:rl:${name}`,
    /** The random secret personal entry links are signed with (made once, shared by all nodes). */
    entryLinkSecret: `${prefix}:secret:entry-links`,

    community(communityId: string) {
      const base = `${prefix}:{${communityId}}`;
      const day = (date: string) => `${base}:day:${date}:`;
      return {
        base,
        /** Pub/sub channel for every event of this community's chains. */
        channel: `${base}:events`,
        info: `${base}:info`,
        dropPoints: `${base}:drop-points`,
        users: `${base}:users`,
        /** hash tokenHash → who and when, for each session of the community's people */
        sessions: `${base}:sessions`,
        /** hash tokenHash → ms: when a session was last seen (written at most every few minutes) */
        sessionsSeen: `${base}:sessions:seen`,
        /** hash inviteId → the open invites (role, who for, by whom, until when) */
        invites: `${base}:invites`,
        /** hash alias → item name: words residents use for an item (鸡蛋 → 土鸡蛋), for imports */
        itemAliases: `${base}:item-aliases`,
        /** hash: printedAt (ms), the first time a coordinator printed a pickup sheet */
        firstRun: `${base}:first-run`,
        /** zset chainId → delivery date as yyyymmdd */
        chains: `${base}:chains`,
        growerChains: (userId: string) => `${base}:grower:${userId}:chains`,
        /** Prefix of one delivery date's keys; the scripts append `dp:<id>:entries|totals`. */
        day,
        dayChains: (date: string) => `${day(date)}chains`,
        /** set of `<chainId>#<no>`: the active entries delivering to a drop point that day */
        dayEntries: (date: string, dropPointId: string) => `${day(date)}dp:${dropPointId}:entries`,
        /**
         * hash: n, amt, n:<chain>, amt:<chain>, q:<chain>:<item>, a:<chain>:<item> over active
         * entries; v (the list's version, for caching); cn, ca, cb (pickup codes handed out, and
         * their permutation: lib.lua next_code)
         */
        dayTotals: (date: string, dropPointId: string) => `${day(date)}dp:${dropPointId}:totals`,

        chain(chainId: string) {
          const c = `${base}:chain:${chainId}`;
          return {
            id: chainId,
            meta: `${c}:meta`,
            items: `${c}:items`,
            /** hash: n, amt, q:<item>, a:<item> over active entries */
            totals: `${c}:totals`,
            entries: `${c}:entries`,
            /** hash: q:<deviceHash>:<item>, what each device has ordered (for limits) */
            devices: `${c}:devices`,
            /** hash requestId → payloadHash \n result */
            requests: `${c}:requests`,
            /** stream of raw events, id = <version>-0 */
            events: `${c}:events`,
            /**
             * hash, the waitlist (lib.lua): seq, q:<item> (waiting ids in order), w:<id> (a
             * waiter), d:<deviceHash>:<item> (the device's waiting id). Sent last in KEYS.
             */
            wait: `${c}:wait`,
          };
        },
      };
    },
  };
}

/** Chain ids carry their community id, so a chain's keys are found without a lookup. */
export function communityOfChain(chainId: string): string {
  return chainId.slice(0, chainId.indexOf("-"));
}

/** The keys a chain script takes (lib.lua entry_ctx), in the order the scripts expect. */
export function entryScriptKeys(c: CommunityKeys, k: ChainKeys): string[] {
  return [
    k.meta,
    k.items,
    k.totals,
    k.entries,
    k.devices,
    k.requests,
    k.events,
    c.dropPoints,
    c.info,
  ];
}

/** One (date, drop point)'s pickup-list keys, in the order lib.lua day_keys() reads them. */
export function dayDropPointKeys(c: CommunityKeys, date: string, dropPointId: string): string[] {
  return [c.dayEntries(date, dropPointId), c.dayTotals(date, dropPointId)];
}
