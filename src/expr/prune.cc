#include "expr/prune.h"

namespace parkett::expr {
namespace {

using Op = Expression::Op;

Outcomes unknown() { return {}; }

// Strings with prefix `p` lie in [p, upper): `upper` is p with its last byte that is not
// 0xFF incremented and what follows dropped; none when every byte is 0xFF.
std::optional<std::string> prefix_upper(std::string p) {
  while (!p.empty() && static_cast<uint8_t>(p.back()) == 0xFF) p.pop_back();
  if (p.empty()) return std::nullopt;
  p.back() = static_cast<char>(static_cast<uint8_t>(p.back()) + 1);
  return p;
}

Outcomes leaf(const Bound& b, const FactsFor& facts_for) {
  const std::optional<ColumnFacts> f = facts_for(b.column);
  if (!f) return unknown();
  const bool nulls = !f->null_count || *f->null_count > 0;
  const bool all_null = f->null_count && f->num_values >= 0 && *f->null_count == f->num_values;
  switch (b.op) {
    case Op::IsNull: return {nulls, !all_null, false};
    case Op::IsNotNull: return {!all_null, nulls, false};
    default: break;
  }
  if (all_null) return {false, false, true};
  if (!f->has_min_max) {
    Outcomes o{true, true, nulls};
    if (f->might_contain && b.op == Op::Equal && !b.keys.at(0).null) o.can_true = f->might_contain(b.keys[0]);
    if (f->might_contain && b.op == Op::IsIn) {
      bool any = false;
      for (const Key& k : b.keys) any |= !k.null && f->might_contain(k);
      o.can_true = any;
    }
    return o;
  }
  const Domain d = b.column.domain;
  const bool nan = d == Domain::Float && f->may_have_nan;
  auto cmp = [&](const Key& x, const Key& y) { return compare(x, y, d); };
  if (cmp(f->min, f->max) == 2) return unknown();
  Outcomes o{true, true, nulls};
  if (b.op == Op::IsIn) {
    bool any = false, any_null = false;
    for (const Key& k : b.keys) {
      if (k.null) {
        any_null = true;
        continue;
      }
      const int lo = cmp(k, f->min), hi = cmp(k, f->max);
      if ((lo == 2 || hi == 2 || (lo >= 0 && hi <= 0)) && (!f->might_contain || f->might_contain(k))) any = true;
    }
    o.can_true = any;
    o.can_null |= any_null;
    return o;
  }
  const Key& k = b.keys.at(0);
  if (k.null) return {false, false, true};
  if (b.op == Op::StartsWith) {
    const std::optional<std::string> upper = prefix_upper(k.bytes);
    Key up;
    if (upper) up.bytes = *upper;
    o.can_true = cmp(f->max, k) >= 0 && (!upper || cmp(f->min, up) < 0);
    return o;
  }
  const int lo = cmp(f->min, k);  // min vs k
  const int hi = cmp(f->max, k);  // max vs k
  if (lo == 2 || hi == 2) return unknown();
  const bool all_equal = f->bounds_exact && lo == 0 && hi == 0;
  switch (b.op) {
    case Op::Equal:
      o.can_true = lo <= 0 && hi >= 0 && (!f->might_contain || f->might_contain(k));
      o.can_false = !all_equal || nan;
      break;
    case Op::NotEqual:
      o.can_true = !all_equal || nan;
      o.can_false = lo <= 0 && hi >= 0;
      break;
    case Op::Less:
      o.can_true = lo < 0;
      o.can_false = hi >= 0 || nan;
      break;
    case Op::LessEqual:
      o.can_true = lo <= 0;
      o.can_false = hi > 0 || nan;
      break;
    case Op::Greater:
      o.can_true = hi > 0;
      o.can_false = lo <= 0 || nan;
      break;
    case Op::GreaterEqual:
      o.can_true = hi >= 0;
      o.can_false = lo < 0 || nan;
      break;
    default: return unknown();
  }
  return o;
}

}  // namespace

Outcomes outcomes(const Bound& b, const FactsFor& facts) {
  switch (b.op) {
    case Op::And: {
      const Outcomes x = outcomes(b.operands.at(0), facts), y = outcomes(b.operands.at(1), facts);
      return {x.can_true && y.can_true, x.can_false || y.can_false,
              (x.can_null && (y.can_true || y.can_null)) || (y.can_null && (x.can_true || x.can_null))};
    }
    case Op::Or: {
      const Outcomes x = outcomes(b.operands.at(0), facts), y = outcomes(b.operands.at(1), facts);
      return {x.can_true || y.can_true, x.can_false && y.can_false,
              (x.can_null && (y.can_false || y.can_null)) || (y.can_null && (x.can_false || x.can_null))};
    }
    case Op::Not: {
      const Outcomes x = outcomes(b.operands.at(0), facts);
      return {x.can_false, x.can_true, x.can_null};
    }
    default: return leaf(b, facts);
  }
}

}  // namespace parkett::expr
