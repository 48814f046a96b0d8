// parkett: read and write Apache Parquet. Include this header; everything else under
// include/parkett/ is reachable from it.
#pragma once

#include "parkett/array.h"
#include "parkett/bloom_filter.h"
#include "parkett/c_data.h"
#include "parkett/dataset.h"
#include "parkett/datatype.h"
#include "parkett/encryption.h"
#include "parkett/error.h"
#include "parkett/expression.h"
#include "parkett/input_file.h"
#include "parkett/metadata.h"
#include "parkett/page_index.h"
#include "parkett/reader.h"
#include "parkett/schema.h"
#include "parkett/types.h"
#include "parkett/version.h"
#include "parkett/writer.h"
