// A file's column read as the dataset's type: which types read as which (lossless
// widening, structs matched by field name), and the arrays converted.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "parkett/array.h"

namespace parkett::dataset {

/// Names equal as field names (ASCII case ignored when asked, as Spark and Hive match them).
bool same_name(const std::string& a, const std::string& b, bool case_insensitive);
std::string lower_case(std::string name);  // ASCII letters

/// Positions of fields by name (ignoring case when asked; the first of a name): files may
/// have 100,000 columns, so no lookup may scan them.
class FieldNames {
 public:
  FieldNames() = default;
  FieldNames(const std::vector<Field>& fields, bool case_insensitive);
  /// False (and the first kept) when a field of that name is there.
  bool add(const std::string& name, size_t position);
  /// The position of the field named `name`, or -1.
  int find(const std::string& name) const;

 private:
  bool case_insensitive_ = false;
  std::unordered_map<std::string, size_t> at_;
};

/// Whether values of the non-nested type `from` read as `to` without loss: the same type;
/// null; a signed (unsigned) integer to a wider signed (unsigned) one; an integer of at most
/// 32 bits or float32 to float64; a timestamp to a finer unit of the same timezone; a
/// decimal to a larger precision of the same scale and width.
bool widens(const DataType& from, const DataType& to);

/// How a file's field must match the dataset's.
struct Fit {
  bool case_insensitive = false;
  /// A struct may lack fields of the dataset's (read as nulls) and have fields it has not
  /// (not read); otherwise the fields must be the same.
  bool subset = true;
};

/// Whether a file's column of type `from` reads as `to`: widens() (a null column reads
/// as anything), or structs whose fields do (by name; see Fit), or lists whose elements
/// and maps whose keys and values do (by position: writers name them differently). If
/// not, `where` is set to the dotted path below the column where it fails ("" for the
/// column itself).
bool reads_as(const DataType& from, const DataType& to, const Fit& fit, std::string& where);

/// `array` (of a type that reads_as() `to`) as `to`: values widened, struct fields
/// matched by name, reordered, filled with nulls or left out. Error(InvalidArgument)
/// naming `column` and `file` when a timestamp does not fit the finer unit.
ArrayPtr conform(const ArrayPtr& array, const DataType& to, bool case_insensitive, const std::string& column,
                 const std::string& file);

}  // namespace parkett::dataset
