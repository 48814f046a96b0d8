// A filter bound to a schema: each column reference resolved to its field (through structs)
// and its Arrow type, each literal converted once into the column's comparison domain. Both
// evaluation on arrays (evaluate.h) and pruning with statistics (prune.h) work on this.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "parkett/datatype.h"
#include "parkett/expression.h"

namespace parkett::expr {

/// How a column's values compare: as exact integers (integers, booleans, decimals at the
/// column's scale, dates in days, times and timestamps in nanoseconds), as doubles (IEEE
/// 754: NaN is unequal to everything, also itself), or as bytes (unsigned lexicographic).
enum class Domain { Integer, Float, Bytes };

/// One value in a column's domain.
struct Key {
  __int128 integer = 0;
  double floating = 0;
  std::string bytes;
  bool null = false;
};

struct BoundColumn {
  std::vector<std::string> path;
  std::vector<int> indices;  // the top-level field, then the child index in each struct
  DataType type;             // the referenced field's type (a dictionary's: its value type)
  Domain domain = Domain::Integer;
  int64_t nanos_per_unit = 1;  // times and timestamps: nanoseconds per stored unit
};

struct Bound {
  Expression::Op op = Expression::Op::And;
  BoundColumn column;           // comparisons, IsIn, IsNull, IsNotNull, StartsWith
  std::vector<Key> keys;        // their literals, in the column's domain
  std::vector<Bound> operands;  // And, Or, Not
};

/// Binds `filter` to `schema`. Throws Error(InvalidArgument) for a column the schema lacks
/// or that a filter cannot compare (lists, maps), and for a literal that does not fit its
/// column's type (naming both); Error(Unsupported) for column types not compared yet.
Bound bind(const Expression& filter, const Schema& schema);

/// The top-level fields `bound` reads.
std::vector<int> referenced_fields(const Bound& bound);

/// Nanoseconds per `unit`.
int64_t nanos_per(TimeUnit unit);
/// A column path as "a.b.c".
std::string dotted(const std::vector<std::string>& path);

/// `a` compared with `b` in `domain`: negative, 0 or positive. Floats: NaN compares as
/// unordered, reported as 2 (no relation holds but !=).
int compare(const Key& a, const Key& b, Domain domain);

}  // namespace parkett::expr
