-- Shared helpers, prepended to every script by server/store/scripts.ts.
-- Quantities are integer thousandths of a unit; money is integer fen.
-- Every key a script touches arrives in KEYS. Scripts reach Redis only through `call`: the tests
-- load them with a `call` that refuses any key not in KEYS (scripts.ts, checkKeys).
local call = redis.call

local function now_ms()
  local t = call('TIME')
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

-- The (date, drop point) pickup-list keys that arrived in KEYS from `first` on, three per drop
-- point named in `dps` (comma-separated, keys.ts dayDropPointKeys order).
local function day_keys(first, dps)
  local days, i = {}, first
  for dp in string.gmatch(dps, '[^,]+') do
    days[dp] = { entries = KEYS[i], totals = KEYS[i + 1], codes = KEYS[i + 2] }
    i = i + 3
  end
  return days
end

-- Context of an entry script: KEYS and ARGV in the order store/chains.ts runChainScript gives.
-- KEYS: entryScriptKeys (9), then dayDropPointKeys for each drop point in ARGV[7].
-- ARGV: channel requestId payloadHash input maxEvents date dps deviceCap codeSeed
local function entry_ctx()
  return {
    meta = KEYS[1], items = KEYS[2], totals = KEYS[3], entries = KEYS[4],
    devices = KEYS[5], requests = KEYS[6], events = KEYS[7], drop_points = KEYS[8], info = KEYS[9],
    channel = ARGV[1], req_id = ARGV[2], payload_hash = ARGV[3], max_events = ARGV[5],
    date = ARGV[6], days = day_keys(10, ARGV[7]), device_cap = num(ARGV[8]), code_seed = ARGV[9],
  }
end

local function load_entry(ctx, no)
  local raw = call('HGET', ctx.entries, no)
  if not raw then return nil end
  return cjson.decode(raw)
end

-- A repeated request id returns the first result; a different payload under it is refused.
-- An entry script remembers only '#<no>': its replay answers with the entry as it is now.
local function replay(ctx)
  if ctx.req_id == '' then return nil end
  local prev = call('HGET', ctx.requests, ctx.req_id)
  if not prev then return nil end
  local sep = string.find(prev, '\n', 1, true)
  if string.sub(prev, 1, sep - 1) ~= ctx.payload_hash then
    return fail('request_id_conflict')
  end
  local result = string.sub(prev, sep + 1)
  if string.sub(result, 1, 1) ~= '#' then return result end
  local entry = load_entry(ctx, string.sub(result, 2))
  return cjson.encode({ v = entry.v, e = entry })
end

local function remember(ctx, result)
  if ctx.req_id == '' then return end
  call('HSET', ctx.requests, ctx.req_id, ctx.payload_hash .. '\n' .. result)
end

local function load_chain(ctx)
  local m = call('HMGET', ctx.meta, 'id', 'status', 'cutoff', 'dps', 'date', 'closedReason')
  if not m[1] then return nil end
  -- A missing field reads as false; keep it nil so events carry null, not false.
  return { id = m[1], status = m[2], cutoff = tonumber(m[3]), dps = m[4], date = m[5], closed_reason = m[6] or nil }
end

-- The caller names the chain's delivery date and the drop points whose pickup-list keys it sent.
-- When it guessed wrong (it had no copy of the entry yet, or the entry just moved), nothing is
-- written and it is told what to send: { err = 'retry', dp = ... }.
local function declared_day(ctx, chain, dp)
  if ctx.date ~= chain.date then return fail('retry', { date = chain.date }) end
  if dp and not ctx.days[dp] then return fail('retry', { dp = dp }) end
  return nil
end

-- The start of every entry script: a repeated request returns its first result; otherwise the
-- chain and the input. Use: local ctx, input, chain = begin(); if not ctx then return input end
local function begin()
  local ctx = entry_ctx()
  local prev = replay(ctx)
  if prev then return nil, prev end
  local chain = load_chain(ctx)
  if not chain then return nil, fail('not_found', { what = 'chain' }) end
  local wrong_day = declared_day(ctx, chain, nil)
  if wrong_day then return nil, wrong_day end
  return ctx, cjson.decode(ARGV[4]), chain
end

-- An entry that is still active (and whose pickup-list keys arrived), or nil and the refusal.
local function active_entry(ctx, chain, no)
  local entry = load_entry(ctx, no)
  if not entry then return nil, fail('not_found', { what = 'entry' }) end
  if entry.st ~= 'active' then return nil, fail('entry_cancelled') end
  local wrong_day = declared_day(ctx, chain, entry.dp)
  if wrong_day then return nil, wrong_day end
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
  local raw = call('HGET', ctx.drop_points, dp)
  return raw ~= false and cjson.decode(raw).active == true
end

local function item_defs(ctx, ids)
  local raw = call('HMGET', ctx.items, unpack(ids))
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

-- The last four digits of a phone: who a resident is, where the community asks for them.
local function phone4(phone)
  if not phone then return nil end
  local digits = string.gsub(phone, '%D', '')
  if #digits < 4 then return nil end
  return string.sub(digits, -4)
end

-- Does this community count per-person limits by phone as well (community setting)?
local function limits_by_phone(ctx)
  return call('HGET', ctx.info, 'requirePhone4') == '1'
end

-- Stock and per-resident limits for the items whose quantity grows.
-- owner: the device hash whose entries count towards the limit, or nil (then the entry alone
-- counts); p4: the phone's last four digits when the community counts limits by phone too.
local function check_stock_and_limits(ctx, d, new_lines, owner, p4)
  local growing = {}
  for id, delta in pairs(d) do if delta > 0 then growing[#growing + 1] = id end end
  if #growing == 0 then return nil end
  local defs = item_defs(ctx, growing)
  local short = {}
  for _, id in ipairs(growing) do
    local def = defs[id]
    if def.stock then
      local sold = num(call('HGET', ctx.totals, 'q:' .. id))
      if sold + d[id] > def.stock then
        short[#short + 1] = { itemId = id, wanted = d[id], remaining = def.stock - sold }
      end
    end
  end
  if #short > 0 then
    local left = {}
    local all = call('HGETALL', ctx.items)
    for j = 1, #all, 2 do
      local def = cjson.decode(all[j + 1])
      local remaining = -1
      if def.stock then remaining = def.stock - num(call('HGET', ctx.totals, 'q:' .. def.id)) end
      left[#left + 1] = { itemId = def.id, remaining = remaining }
    end
    return fail('sold_out', { short = short, left = left })
  end
  local new_qty = qty_by_item(new_lines)
  for _, id in ipairs(growing) do
    local def = defs[id]
    if def.limit then
      local already, by = new_qty[id] - d[id], nil
      if owner then
        already, by = num(call('HGET', ctx.devices, 'q:' .. owner .. ':' .. id)), 'device'
      end
      if p4 then
        local by_phone = num(call('HGET', ctx.devices, 'q:p' .. p4 .. ':' .. id))
        if by_phone > already then already, by = by_phone, 'phone' end
      end
      if already + d[id] > def.limit then
        return fail('limit_exceeded', { itemId = id, limit = def.limit, already = already, by = by })
      end
    end
  end
  return nil
end

-- Add (sign 1) or remove (sign -1) an entry's contribution to every aggregate: chain totals,
-- what its device and its phone have ordered (limits), how many entries its device holds, and the
-- (date, drop point) pickup list.
local function contribute(ctx, chain, entry, sign)
  local ref = chain.id .. '#' .. entry.no
  local day = ctx.days[entry.dp]
  local p4 = phone4(entry.phone)
  for _, l in ipairs(entry.lines) do
    call('HINCRBY', ctx.totals, 'q:' .. l.i, sign * l.q)
    call('HINCRBY', ctx.totals, 'a:' .. l.i, sign * l.a)
    call('HINCRBY', day.totals, 'q:' .. chain.id .. ':' .. l.i, sign * l.q)
    call('HINCRBY', day.totals, 'a:' .. chain.id .. ':' .. l.i, sign * l.a)
    if entry.dh then
      call('HINCRBY', ctx.devices, 'q:' .. entry.dh .. ':' .. l.i, sign * l.q)
    end
    if p4 then
      call('HINCRBY', ctx.devices, 'q:p' .. p4 .. ':' .. l.i, sign * l.q)
    end
  end
  if entry.dh then call('HINCRBY', ctx.devices, 'n:' .. entry.dh, sign) end
  call('HINCRBY', ctx.totals, 'n', sign)
  call('HINCRBY', ctx.totals, 'amt', sign * entry.amt)
  call('HINCRBY', day.totals, 'n', sign)
  call('HINCRBY', day.totals, 'amt', sign * entry.amt)
  call('HINCRBY', day.totals, 'n:' .. chain.id, sign)
  call('HINCRBY', day.totals, 'amt:' .. chain.id, sign * entry.amt)
  if sign > 0 then call('SADD', day.entries, ref) else call('SREM', day.entries, ref) end
end

-- Pickup codes, in O(1): the n-th bag at a (date, drop point) gets the n-th value of a fixed
-- permutation, 4 digits for the first 9,000 bags, then 5, then 6 (999,000 in all), never with a
-- leading zero. The permutation (a*n + b mod the band's size, a coprime to it) is drawn once per
-- key from the caller's seed, so codes don't run in order and differ between points and days.
-- Codes are never reused: labels stay printed.
local CODE_BANDS = { { 1000, 9000 }, { 10000, 90000 }, { 100000, 900000 } }

-- The code the next bag at this drop point would get, and the write that takes it; nil when the
-- point has handed out every code that day. Nothing is written until take() is called.
local function next_code(ctx, dp)
  local key = ctx.days[dp].codes
  local state = call('HMGET', key, 'n', 'a', 'b')
  local n, a, b = num(state[1]), tonumber(state[2]), tonumber(state[3])
  local fresh = not a
  if fresh then
    local s1, s2 = string.match(ctx.code_seed, '(%d+),(%d+)')
    -- A step between 1001 and about 7000: next codes never look like the last plus or minus one.
    a, b = 1001 + tonumber(s1) % 6000, tonumber(s2) % 900000
    -- Every band's size is 2^x * 3^2 * 5^y: a is coprime to all of them when it is to 30.
    while a % 2 == 0 or a % 3 == 0 or a % 5 == 0 do a = a + 1 end
  end
  local i = n
  for _, band in ipairs(CODE_BANDS) do
    local lo, size = band[1], band[2]
    if i < size then
      local code = tostring(lo + (a * i + b) % size)
      local take = function()
        if fresh then call('HSET', key, 'n', n + 1, 'a', a, 'b', b)
        else call('HSET', key, 'n', n + 1) end
      end
      return code, take
    end
    i = i - size
  end
  return nil
end

-- Stock of the touched items after a change, as [itemId, sold, cap or -1].
local function stock_of(ctx, d)
  local ids = {}
  for id in pairs(d) do ids[#ids + 1] = id end
  table.sort(ids)
  local defs = item_defs(ctx, ids)
  local out, any_sold_out, any_freed = {}, false, false
  for _, id in ipairs(ids) do
    local sold = num(call('HGET', ctx.totals, 'q:' .. id))
    local cap = defs[id].stock or -1
    out[#out + 1] = { id, sold, cap }
    if cap >= 0 and sold >= cap and d[id] > 0 then any_sold_out = true end
    if d[id] < 0 then any_freed = true end
  end
  return out, any_sold_out, any_freed
end

-- True when every item has a cap and every cap is reached: nothing is left to buy.
local function nothing_left(ctx)
  local all = call('HGETALL', ctx.items)
  for j = 1, #all, 2 do
    local def = cjson.decode(all[j + 1])
    if not def.stock then return false end
    if num(call('HGET', ctx.totals, 'q:' .. def.id)) < def.stock then return false end
  end
  return true
end

-- Close when sold out, reopen (before the cutoff) when stock comes back.
-- Updates chain.status and chain.closed_reason.
local function settle_status(ctx, chain, now, sold_out_now, freed)
  if chain.status == 'open' and sold_out_now and nothing_left(ctx) then
    call('HSET', ctx.meta, 'status', 'closed', 'closedReason', 'sold_out')
    chain.status, chain.closed_reason = 'closed', 'sold_out'
  elseif chain.status == 'closed' and chain.closed_reason == 'sold_out' and freed
      and now < chain.cutoff and not nothing_left(ctx) then
    call('HSET', ctx.meta, 'status', 'open')
    call('HDEL', ctx.meta, 'closedReason')
    chain.status, chain.closed_reason = 'open', nil
  end
end

-- Append an event of version v to the event log and publish it. Returns v.
local function announce(events, channel, max_events, v, event)
  event.v = v
  local json = cjson.encode(event)
  call('XADD', events, 'MAXLEN', '~', max_events, v .. '-0', 'e', json)
  call('PUBLISH', channel, json)
  return v
end

-- Bump the version, append to the event log and publish. Returns the new version.
local function emit(meta, events, channel, max_events, event)
  return announce(events, channel, max_events, call('HINCRBY', meta, 'version', 1), event)
end

-- Store a changed entry and announce it. The entry is stamped with the version of this change
-- (entry.v), so a screen holding two copies of it keeps the newer, whatever order they came in.
local function entry_event(ctx, chain, kind, entry, stock, prev_dp)
  entry.v = call('HINCRBY', ctx.meta, 'version', 1)
  call('HSET', ctx.entries, entry.no, cjson.encode(entry))
  return announce(ctx.events, ctx.channel, ctx.max_events, entry.v, {
    t = kind, c = chain.id, d = chain.date, e = entry, s = stock,
    st = chain.status, cr = chain.closed_reason, pdp = prev_dp,
  })
end

local function succeed(ctx, entry, v)
  remember(ctx, '#' .. entry.no)
  return cjson.encode({ v = v, e = entry })
end
