#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "expr/bound.h"
#include "parkett/error.h"
#include "util/value_text.h"

namespace parkett::expr {
namespace {

using Id = DataType::Id;
using Kind = Literal::Kind;
using Op = Expression::Op;

[[noreturn]] void does_not_fit(const Literal& l, const BoundColumn& c, const std::string& why) {
  throw Error(ErrorKind::InvalidArgument, "the literal " + l.to_string() + " cannot be compared with column '" +
                                              dotted(c.path) + "' of type " + c.type.to_string() + ": " + why);
}

Domain domain_of(const DataType& t, const std::vector<std::string>& path) {
  switch (t.id()) {
    case Id::Boolean:
    case Id::Int8:
    case Id::Int16:
    case Id::Int32:
    case Id::Int64:
    case Id::UInt8:
    case Id::UInt16:
    case Id::UInt32:
    case Id::UInt64:
    case Id::Date32:
    case Id::Time32:
    case Id::Time64:
    case Id::Timestamp:
    case Id::Decimal128: return Domain::Integer;
    case Id::Float16:
    case Id::Float32:
    case Id::Float64: return Domain::Float;
    case Id::String:
    case Id::LargeString:
    case Id::Binary:
    case Id::LargeBinary:
    case Id::FixedSizeBinary: return Domain::Bytes;
    case Id::List:
    case Id::LargeList:
    case Id::Map:
      throw Error(ErrorKind::InvalidArgument, "column '" + dotted(path) + "' is a " + t.to_string() +
                                                  ": a filter compares single values, not lists or maps");
    case Id::Struct:
      throw Error(ErrorKind::InvalidArgument, "column '" + dotted(path) + "' is a struct: name one of its fields");
    default:
      throw Error(ErrorKind::Unsupported, "filters on column '" + dotted(path) + "' of type " + t.to_string() +
                                              " are not supported yet");
  }
}

// `values`: the filter compares the column's values (else it only tests for nulls, which
// any column can be asked).
BoundColumn resolve(const std::vector<std::string>& path, const Schema& schema, bool values) {
  BoundColumn c;
  c.path = path;
  const std::vector<Field>* fields = &schema.fields;
  const DataType* type = nullptr;
  for (size_t depth = 0; depth < path.size(); ++depth) {
    int found = -1;
    for (size_t i = 0; i < fields->size(); ++i) {
      if ((*fields)[i].name == path[depth]) {
        found = static_cast<int>(i);
        break;
      }
    }
    if (found < 0) {
      throw Error(ErrorKind::InvalidArgument, depth == 0 ? "the filter names column '" + path[0] + "', which the file does not have"
                                                         : "column '" + dotted(path) + "' does not exist: '" +
                                                               dotted({path.begin(), path.begin() + static_cast<long>(depth)}) +
                                                               "' has no field '" + path[depth] + "'");
    }
    c.indices.push_back(found);
    type = &(*fields)[static_cast<size_t>(found)].type;
    if (depth + 1 < path.size()) {
      if (type->id() != Id::Struct) {
        throw Error(ErrorKind::InvalidArgument, "column '" + dotted(path) + "' does not exist: '" +
                                                    dotted({path.begin(), path.begin() + static_cast<long>(depth) + 1}) +
                                                    "' is a " + type->to_string() + ", not a struct");
      }
      fields = &type->children();
    }
  }
  c.type = type->id() == Id::Dictionary ? type->value_type() : *type;
  if (!values) return c;
  c.domain = domain_of(c.type, path);
  if (c.type.id() == Id::Time32 || c.type.id() == Id::Time64 || c.type.id() == Id::Timestamp) {
    c.nanos_per_unit = nanos_per(c.type.unit());
  }
  return c;
}

Key key_for(const Literal& l, const BoundColumn& c) {
  Key k;
  if (l.kind == Kind::Null) {
    k.null = true;
    return k;
  }
  const Id id = c.type.id();
  switch (c.domain) {
    case Domain::Bytes:
      if (l.kind != Kind::String && l.kind != Kind::Binary) does_not_fit(l, c, "expected a string or binary literal");
      k.bytes = l.text;
      return k;
    case Domain::Float:
      if (l.kind == Kind::Float) {
        k.floating = l.floating;
      } else if (l.kind == Kind::Integer || l.kind == Kind::Decimal) {
        k.floating = std::strtod(l.text.c_str(), nullptr);  // the nearest double, as SQL casts it
      } else {
        does_not_fit(l, c, "expected a number");
      }
      return k;
    case Domain::Integer: break;
  }
  switch (id) {
    case Id::Boolean:
      if (l.kind != Kind::Boolean) does_not_fit(l, c, "expected TRUE or FALSE");
      k.integer = l.boolean ? 1 : 0;
      return k;
    case Id::Date32:
      if (l.kind != Kind::Date) does_not_fit(l, c, "expected a DATE literal");
      k.integer = l.value;
      return k;
    case Id::Time32:
    case Id::Time64:
      if (l.kind != Kind::Time) does_not_fit(l, c, "expected a TIME literal");
      k.integer = static_cast<__int128>(l.value) * nanos_per(l.unit);
      return k;
    case Id::Timestamp:
      if (l.kind == Kind::Timestamp) {
        // An instant (a literal with a zone) has no local time to compare with a column of
        // local times, as in pyarrow. A literal without a zone against a column of instants
        // reads as UTC (DuckDB and Spark with the session zone UTC; see Literal).
        if (l.utc && c.type.timezone().empty()) {
          does_not_fit(l, c, "the literal is an instant (it has a zone) and the column holds local times without one");
        }
        k.integer = static_cast<__int128>(l.value) * nanos_per(l.unit);
      } else if (l.kind == Kind::Date) {
        k.integer = static_cast<__int128>(l.value) * 86400 * 1000000000;  // midnight
      } else {
        does_not_fit(l, c, "expected a TIMESTAMP or DATE literal");
      }
      return k;
    case Id::Decimal128:
      if (l.kind != Kind::Integer && l.kind != Kind::Decimal) does_not_fit(l, c, "expected a decimal number");
      if (!util::parse_decimal(l.text, c.type.scale(), k.integer)) {
        does_not_fit(l, c, "it has more decimal places than the scale " + std::to_string(c.type.scale()) +
                               " or more digits than 38");
      }
      return k;
    default:  // integers
      if (l.kind == Kind::Decimal) {
        if (!util::parse_decimal(l.text, 0, k.integer)) does_not_fit(l, c, "it is not a whole number");
        return k;
      }
      if (l.kind != Kind::Integer) does_not_fit(l, c, "expected an integer");
      if (!util::parse_decimal(l.text, 0, k.integer)) does_not_fit(l, c, "it has more than 38 digits");
      return k;
  }
}

Bound bind_node(const Expression& e, const Schema& schema) {
  Bound b;
  b.op = e.op();
  switch (b.op) {
    case Op::And:
    case Op::Or:
    case Op::Not:
      for (const Expression& o : e.operands()) b.operands.push_back(bind_node(o, schema));
      return b;
    case Op::Column:
    case Op::Literal:
      throw Error(ErrorKind::InvalidArgument, "'" + e.to_string() + "' is a value, not a condition");
    default: break;
  }
  const Expression& column = e.operands().at(0);
  if (column.op() != Op::Column) {
    throw Error(ErrorKind::InvalidArgument, "'" + e.to_string() + "': a condition compares a column with values");
  }
  b.column = resolve(column.path(), schema, b.op != Op::IsNull && b.op != Op::IsNotNull);
  if (b.op == Op::StartsWith && b.column.domain != Domain::Bytes) {
    throw Error(ErrorKind::InvalidArgument, "LIKE applies to string and binary columns; '" + dotted(b.column.path) +
                                                "' is " + b.column.type.to_string());
  }
  for (const Literal& l : e.literals()) b.keys.push_back(key_for(l, b.column));
  return b;
}

void collect_fields(const Bound& b, std::vector<int>& out) {
  if (!b.column.indices.empty()) {
    const int f = b.column.indices.front();
    if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
  }
  for (const Bound& o : b.operands) collect_fields(o, out);
}

}  // namespace

int64_t nanos_per(TimeUnit u) { return 1000000000 / util::units_per_second(u); }

std::string dotted(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) out += (out.empty() ? "" : ".") + p;
  return out;
}

Bound bind(const Expression& filter, const Schema& schema) {
  // Evaluation and pruning recurse as deep as the filter: a tree built in code is checked
  // here as the parser checks text (without recursing).
  constexpr int kMaxDepth = 1000;
  std::vector<std::pair<const Expression*, int>> stack{{&filter, 1}};
  while (!stack.empty()) {
    const auto [e, depth] = stack.back();
    stack.pop_back();
    if (depth > kMaxDepth) {
      throw Error(ErrorKind::InvalidArgument, "the filter is nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    for (const Expression& o : e->operands()) stack.push_back({&o, depth + 1});
  }
  return bind_node(filter, schema);
}

std::vector<int> referenced_fields(const Bound& bound) {
  std::vector<int> out;
  collect_fields(bound, out);
  return out;
}

int compare(const Key& a, const Key& b, Domain domain) {
  switch (domain) {
    case Domain::Integer: return a.integer < b.integer ? -1 : a.integer > b.integer ? 1 : 0;
    case Domain::Float:
      if (std::isnan(a.floating) || std::isnan(b.floating)) return 2;
      return a.floating < b.floating ? -1 : a.floating > b.floating ? 1 : 0;
    case Domain::Bytes: {
      const int c = a.bytes.compare(b.bytes);  // char_traits<char>::compare is unsigned
      return c < 0 ? -1 : c > 0 ? 1 : 0;
    }
  }
  return 0;
}

}  // namespace parkett::expr
