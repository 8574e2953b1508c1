-- Shared helpers, prepended to every script by server/store/scripts.ts.
-- Quantities are integer thousandths of a unit; money is integer fen.

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function fail(code, extra)
  local r = extra or {}
  r.err = code
  return cjson.encode(r)
end

-- The one rounding rule (shared/quantity.ts lineAmountFen): price x qty, half up to the fen.
local function line_amount(price, qty)
  return math.floor((price * qty + 500) / 1000)
end

local function num(v)
  return tonumber(v) or 0
end

-- Context of an entry script: KEYS and ARGV in the order entryScriptKeys() gives.
local function entry_ctx()
  return {
    meta = KEYS[1], items = KEYS[2], totals = KEYS[3], entries = KEYS[4],
    devices = KEYS[5], requests = KEYS[6], events = KEYS[7], drop_points = KEYS[8],
    community_base = ARGV[1], channel = ARGV[2], req_id = ARGV[3], payload_hash = ARGV[4],
    max_events = ARGV[6],
  }
end

-- A repeated request id returns the first result; a different payload under it is refused.
local function replay(ctx)
  local prev = redis.call('HGET', ctx.requests, ctx.req_id)
  if not prev then return nil end
  local sep = string.find(prev, '\n', 1, true)
  if string.sub(prev, 1, sep - 1) ~= ctx.payload_hash then
    return fail('request_id_conflict')
  end
  return string.sub(prev, sep + 1)
end

local function remember(ctx, result)
  redis.call('HSET', ctx.requests, ctx.req_id, ctx.payload_hash .. '\n' .. result)
end

local function load_chain(ctx)
  local m = redis.call('HMGET', ctx.meta, 'id', 'status', 'cutoff', 'dps', 'date', 'closedReason')
  if not m[1] then return nil end
  -- The chain's delivery date picks the pickup-list keys (keys.ts community().day).
  ctx.day_prefix = ctx.community_base .. ':day:' .. m[5] .. ':'
  -- A missing field reads as false; keep it nil so events carry null, not false.
  return { id = m[1], status = m[2], cutoff = tonumber(m[3]), dps = m[4], date = m[5], closed_reason = m[6] or nil }
end

-- The start of every entry script: a repeated request returns its first result; otherwise the
-- chain and the input. Use: local ctx, input, chain = begin(); if not ctx then return input end
local function begin()
  local ctx = entry_ctx()
  local prev = replay(ctx)
  if prev then return nil, prev end
  local chain = load_chain(ctx)
  if not chain then return nil, fail('not_found', { what = 'chain' }) end
  return ctx, cjson.decode(ARGV[5]), chain
end

-- An entry that is still active, or nil and the refusal.
local function active_entry(ctx, no)
  local raw = redis.call('HGET', ctx.entries, no)
  if not raw then return nil, fail('not_found', { what = 'entry' }) end
  local entry = cjson.decode(raw)
  if entry.st ~= 'active' then return nil, fail('entry_cancelled') end
  return entry
end

-- nil when a write may go ahead now. Staff (coordinators) may write after the cutoff.
local function check_open(chain, now, staff)
  if chain.status == 'cancelled' or chain.status == 'delivered' then return 'chain_closed' end
  if staff then return nil end
  if now >= chain.cutoff then return 'chain_closed' end
  if chain.status == 'closed' and chain.closed_reason ~= 'sold_out' then return 'chain_closed' end
  return nil
end

-- The chain delivers to this drop point, and the community has not deactivated it since.
local function serves(ctx, chain, dp)
  if string.find(chain.dps, ',' .. dp .. ',', 1, true) == nil then return false end
  local raw = redis.call('HGET', ctx.drop_points, dp)
  return raw ~= false and cjson.decode(raw).active == true
end

local function item_defs(ctx, ids)
  local raw = redis.call('HMGET', ctx.items, unpack(ids))
  local defs = {}
  for i, id in ipairs(ids) do
    if not raw[i] then return nil, id end
    defs[id] = cjson.decode(raw[i])
  end
  return defs
end

-- Price the requested lines. Items already in the entry keep the price they were placed at.
local function price_lines(ctx, wanted, old_prices)
  local ids = {}
  for i, l in ipairs(wanted) do ids[i] = l[1] end
  local defs, unknown = item_defs(ctx, ids)
  if not defs then return nil, fail('unknown_item', { itemId = unknown }) end
  local lines, total = {}, 0
  for i, l in ipairs(wanted) do
    local def, qty = defs[l[1]], l[2]
    if qty <= 0 or qty % def.step ~= 0 then
      return nil, fail('bad_quantity', { itemId = def.id, step = def.step, qty = qty })
    end
    local price = (old_prices and old_prices[def.id]) or def.price
    local amount = line_amount(price, qty)
    lines[i] = { i = def.id, q = qty, p = price, a = amount }
    total = total + amount
  end
  return lines, total, defs
end

local function qty_by_item(lines)
  local m = {}
  if lines then for _, l in ipairs(lines) do m[l.i] = (m[l.i] or 0) + l.q end end
  return m
end

-- Net change per item between two sets of lines.
local function deltas(old_lines, new_lines)
  local d, old, new = {}, qty_by_item(old_lines), qty_by_item(new_lines)
  for id, q in pairs(new) do d[id] = q - (old[id] or 0) end
  for id, q in pairs(old) do if new[id] == nil then d[id] = -q end end
  return d
end

-- Stock and per-resident limits for the items whose quantity grows.
-- owner: the device hash whose entries count towards the limit, or nil (then the entry alone counts).
local function check_stock_and_limits(ctx, d, new_lines, owner)
  local growing = {}
  for id, delta in pairs(d) do if delta > 0 then growing[#growing + 1] = id end end
  if #growing == 0 then return nil end
  local defs = item_defs(ctx, growing)
  local short = {}
  for _, id in ipairs(growing) do
    local def = defs[id]
    if def.stock then
      local sold = num(redis.call('HGET', ctx.totals, 'q:' .. id))
      if sold + d[id] > def.stock then
        short[#short + 1] = { itemId = id, wanted = d[id], remaining = def.stock - sold }
      end
    end
  end
  if #short > 0 then
    local left = {}
    local all = redis.call('HGETALL', ctx.items)
    for j = 1, #all, 2 do
      local def = cjson.decode(all[j + 1])
      local remaining = -1
      if def.stock then remaining = def.stock - num(redis.call('HGET', ctx.totals, 'q:' .. def.id)) end
      left[#left + 1] = { itemId = def.id, remaining = remaining }
    end
    return fail('sold_out', { short = short, left = left })
  end
  local new_qty = qty_by_item(new_lines)
  for _, id in ipairs(growing) do
    local def = defs[id]
    if def.limit then
      local already
      if owner then
        already = num(redis.call('HGET', ctx.devices, 'q:' .. owner .. ':' .. id))
      else
        already = new_qty[id] - d[id]
      end
      if already + d[id] > def.limit then
        return fail('limit_exceeded', { itemId = id, limit = def.limit, already = already })
      end
    end
  end
  return nil
end

-- Add (sign 1) or remove (sign -1) an entry's contribution to every aggregate:
-- chain totals, the device's quantities, and the (date, drop point) pickup list.
local function contribute(ctx, chain, entry, sign)
  local ref = chain.id .. '#' .. entry.no
  local dp_set = ctx.day_prefix .. 'dp:' .. entry.dp .. ':entries'
  local dp_tot = ctx.day_prefix .. 'dp:' .. entry.dp .. ':totals'
  for _, l in ipairs(entry.lines) do
    redis.call('HINCRBY', ctx.totals, 'q:' .. l.i, sign * l.q)
    redis.call('HINCRBY', ctx.totals, 'a:' .. l.i, sign * l.a)
    redis.call('HINCRBY', dp_tot, 'q:' .. chain.id .. ':' .. l.i, sign * l.q)
    redis.call('HINCRBY', dp_tot, 'a:' .. chain.id .. ':' .. l.i, sign * l.a)
    if entry.dh then
      redis.call('HINCRBY', ctx.devices, 'q:' .. entry.dh .. ':' .. l.i, sign * l.q)
    end
  end
  redis.call('HINCRBY', ctx.totals, 'n', sign)
  redis.call('HINCRBY', ctx.totals, 'amt', sign * entry.amt)
  redis.call('HINCRBY', dp_tot, 'n', sign)
  redis.call('HINCRBY', dp_tot, 'amt', sign * entry.amt)
  redis.call('HINCRBY', dp_tot, 'n:' .. chain.id, sign)
  redis.call('HINCRBY', dp_tot, 'amt:' .. chain.id, sign * entry.amt)
  if sign > 0 then redis.call('SADD', dp_set, ref) else redis.call('SREM', dp_set, ref) end
end

-- A pickup code unique at this (date, drop point), so a scanned label finds one person. Starts at
-- the code offered and walks on until a free one; codes are never freed (labels stay printed).
local function reserve_code(ctx, dp, code, ref)
  local key = ctx.day_prefix .. 'dp:' .. dp .. ':codes'
  -- Codes run 1000-9999 (no leading zero); probe upwards from the random one, wrapping.
  local n = (tonumber(code) or 1000) - 1000
  for _ = 1, 9000 do
    local candidate = tostring(1000 + n % 9000)
    if redis.call('HSETNX', key, candidate, ref) == 1 then return candidate end
    -- Its own code from before (moved away and back) is still its own.
    if redis.call('HGET', key, candidate) == ref then return candidate end
    n = n + 1
  end
  return code
end

-- Stock of the touched items after a change, as [itemId, sold, cap or -1].
local function stock_of(ctx, d)
  local ids = {}
  for id in pairs(d) do ids[#ids + 1] = id end
  table.sort(ids)
  local defs = item_defs(ctx, ids)
  local out, any_sold_out, any_freed = {}, false, false
  for _, id in ipairs(ids) do
    local sold = num(redis.call('HGET', ctx.totals, 'q:' .. id))
    local cap = defs[id].stock or -1
    out[#out + 1] = { id, sold, cap }
    if cap >= 0 and sold >= cap and d[id] > 0 then any_sold_out = true end
    if d[id] < 0 then any_freed = true end
  end
  return out, any_sold_out, any_freed
end

-- True when every item has a cap and every cap is reached: nothing is left to buy.
local function nothing_left(ctx)
  local all = redis.call('HGETALL', ctx.items)
  for j = 1, #all, 2 do
    local def = cjson.decode(all[j + 1])
    if not def.stock then return false end
    if num(redis.call('HGET', ctx.totals, 'q:' .. def.id)) < def.stock then return false end
  end
  return true
end

-- Close when sold out, reopen (before the cutoff) when stock comes back.
-- Updates chain.status and chain.closed_reason.
local function settle_status(ctx, chain, now, sold_out_now, freed)
  if chain.status == 'open' and sold_out_now and nothing_left(ctx) then
    redis.call('HSET', ctx.meta, 'status', 'closed', 'closedReason', 'sold_out')
    chain.status, chain.closed_reason = 'closed', 'sold_out'
  elseif chain.status == 'closed' and chain.closed_reason == 'sold_out' and freed
      and now < chain.cutoff and not nothing_left(ctx) then
    redis.call('HSET', ctx.meta, 'status', 'open')
    redis.call('HDEL', ctx.meta, 'closedReason')
    chain.status, chain.closed_reason = 'open', nil
  end
end

-- Append an event of version v to the event log and publish it. Returns v.
local function announce(events, channel, max_events, v, event)
  event.v = v
  local json = cjson.encode(event)
  redis.call('XADD', events, 'MAXLEN', '~', max_events, v .. '-0', 'e', json)
  redis.call('PUBLISH', channel, json)
  return v
end

-- Bump the version, append to the event log and publish. Returns the new version.
local function emit(meta, events, channel, max_events, event)
  return announce(events, channel, max_events, redis.call('HINCRBY', meta, 'version', 1), event)
end

-- Store a changed entry and announce it. The entry is stamped with the version of this change
-- (entry.v), so a screen holding two copies of it keeps the newer, whatever order they came in.
local function entry_event(ctx, chain, kind, entry, stock, prev_dp)
  entry.v = redis.call('HINCRBY', ctx.meta, 'version', 1)
  redis.call('HSET', ctx.entries, entry.no, cjson.encode(entry))
  return announce(ctx.events, ctx.channel, ctx.max_events, entry.v, {
    t = kind, c = chain.id, d = chain.date, e = entry, s = stock,
    st = chain.status, cr = chain.closed_reason, pdp = prev_dp,
  })
end

local function succeed(ctx, entry, v)
  local result = cjson.encode({ v = v, e = entry })
  remember(ctx, result)
  return result
end
