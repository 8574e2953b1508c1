-- entry:join — one new line of the chain.
-- input: { dp, name, bld, phone?, lines = [[itemId, qtyMilli]...], code, dh?, by? = {id, name}, src? }
local ctx, input, chain = begin()
if not ctx then return input end
local now = now_ms()
local closed = check_open(chain, now, input.by ~= nil)
if closed then return fail(closed) end
if not serves(ctx, chain, input.dp) then return fail('unknown_drop_point', { dropPointId = input.dp }) end

local lines, total_or_err = price_lines(ctx, input.lines, nil)
if not lines then return total_or_err end
local d = deltas(nil, lines)
local refused = check_stock_and_limits(ctx, d, lines, input.dh)
if refused then return refused end

local entry = {
  no = redis.call('HINCRBY', ctx.meta, 'seq', 1),
  name = input.name, bld = input.bld, phone = input.phone, dp = input.dp,
  lines = lines, amt = total_or_err, st = 'active', code = input.code, dh = input.dh,
  at = now, up = now,
}
if input.by then entry.by = { id = input.by.id, name = input.by.name, at = now } end
-- Only staff can write after the cutoff; the sheets mark such entries late.
if now >= chain.cutoff then entry.late = true end
if input.src == 'import' then entry.src = 'import' end

entry.code = reserve_code(ctx, entry.dp, input.code, chain.id .. '#' .. entry.no)
contribute(ctx, chain, entry, 1)
local stock, sold_out_now = stock_of(ctx, d)
settle_status(ctx, chain, now, sold_out_now, false)
local v = entry_event(ctx, chain, 'entry:created', entry, stock, nil)
return succeed(ctx, entry, v)
