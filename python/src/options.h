// parkett's option structs from the dicts the Python layer builds (parkett/parquet.py maps
// pyarrow's keywords to parkett's option names). A key that is not an option of the struct
// is Error(InvalidArgument) naming it, so a misspelt keyword never passes silently.
#pragma once

#include "bindings.h"
#include "parkett/dataset.h"
#include "parkett/reader.h"
#include "parkett/s3.h"
#include "parkett/writer.h"

namespace parkett::python {

ReadOptions read_options(const py::dict& options);
ScanOptions scan_options(const py::dict& options);
WriteOptions write_options(const py::dict& options);
S3Options s3_options(const py::dict& options);
DatasetOptions dataset_options(const py::dict& options);
DatasetWriteOptions dataset_write_options(const py::dict& options);
TimeUnit parse_time_unit(const std::string& unit);

}  // namespace parkett::python
