#include "file/field_encoder.h"

#include "column/physical_width.h"
#include "column/to_physical.h"
#include "nested/shred.h"
#include "parkett/error.h"

namespace parkett::file {
namespace {

// Appends a batch's share of a leaf's levels. Definition levels stay implicit (empty: all
// at the maximum) while every batch so far left them so.
void append_levels(const column::ShreddedLeaf& leaf, int16_t max_def, column::ChunkInput& in) {
  const bool implicit = max_def > 0 && leaf.def.empty();
  if (implicit) {
    if (!in.def.empty()) in.def.insert(in.def.end(), static_cast<size_t>(leaf.num_levels), max_def);
  } else if (max_def > 0) {
    if (in.def.empty()) in.def.assign(static_cast<size_t>(in.num_levels), max_def);
    in.def.insert(in.def.end(), leaf.def.begin(), leaf.def.end());
  }
  in.rep.insert(in.rep.end(), leaf.rep.begin(), leaf.rep.end());
  in.num_levels += leaf.num_levels;
}

}  // namespace

void FieldEncoder::encode(const schema::FieldPlan& plan, size_t f, std::vector<RecordBatch>& batches,
                          column::ChunkScratch& mine, std::vector<column::EncodedChunk>& chunks) const {
  std::vector<int16_t> max_def, max_rep;
  std::vector<column::ChunkInput>& inputs = mine.inputs;
  if (inputs.size() < plan.leaves.size()) inputs.resize(plan.leaves.size());
  for (size_t l = 0; l < plan.leaves.size(); ++l) {
    const ColumnDescriptor& d = parquet.column(plan.leaves[l]);
    max_def.push_back(d.max_definition_level);
    max_rep.push_back(d.max_repetition_level);
    column::ChunkInput& in = inputs[l];
    column::reset_input(in);
    in.column = &d;
    in.node = &parquet.node(d.node);
    in.type = d.physical_type;
    in.values.width = static_cast<size_t>(column::physical_width(*in.node->physical_type, in.node->type_length));
  }
  if (batches.size() > 1 && plan.leaves.size() == 1 && inputs[0].values.is_binary()) {
    // A flat string column from several batches is copied into one block (the first batch
    // alone would be borrowed): made its exact size at once, rather than grown by doubling.
    size_t bytes = 0;
    for (const RecordBatch& b : batches) bytes += column::binary_bytes(*b.columns[f]);
    inputs[0].values.data.reserve(bytes);
  }
  // A batch's column is let go once its values are gathered, unless a leaf borrows its
  // bytes (encoding::ValueBuffer::borrowed): the copy replaces it while the chunk encodes.
  bool kept = false;
  for (RecordBatch& b : batches) {
    std::vector<nested::ShreddedLeaf> leaves = nested::shred(plan, *b.columns[f], max_def, max_rep);
    bool borrowed = false;
    for (size_t l = 0; l < leaves.size(); ++l) {
      column::ChunkInput& in = inputs[l];
      append_levels(leaves[l], max_def[l], in);
      const bool borrowing = in.values.borrowed != nullptr;
      try {
        column::append_physical(leaves[l], *in.node, in.column->dotted_path, in.values,
                                allow_truncated_timestamps);
      } catch (Error& e) {
        e.set_column(in.column->dotted_path);
        throw;
      }
      borrowed |= !borrowing && in.values.borrowed != nullptr;
    }
    leaves.clear();
    if (borrowed) {
      kept = true;
    } else {
      b.columns[f].reset();
    }
  }
  bool borrowing = false;
  for (size_t l = 0; l < plan.leaves.size(); ++l) borrowing |= inputs[l].values.borrowed != nullptr;
  if (kept && !borrowing) {
    for (RecordBatch& b : batches) b.columns[f].reset();
  }
  for (size_t l = 0; l < plan.leaves.size(); ++l) {
    const auto c = static_cast<size_t>(plan.leaves[l]);
    if (calendar_rules) {
      if (const auto rule = calendar_rules->find(plan.leaves[l]); rule != calendar_rules->end()) {
        try {
          column::apply_calendar_rule(inputs[l].values, rule->second);
        } catch (Error& e) {
          e.set_column(inputs[l].column->dotted_path);
          throw;
        }
      }
    }
    inputs[l].dictionary_hint = dictionary_sizes[c].load(std::memory_order_relaxed);
    if (const auto cipher = encryptor ? encryptor->chunk(row_group, static_cast<int32_t>(c)) : nullptr) {
      column::ChunkOptions encrypted = leaf_options[c];
      encrypted.cipher = cipher;
      chunks[c] = column::write_chunk(inputs[l], encrypted, mine, page_buffers);
    } else {
      chunks[c] = column::write_chunk(inputs[l], leaf_options[c], mine, page_buffers);
    }
    dictionary_sizes[c].store(chunks[c].dictionary_size, std::memory_order_relaxed);
    column::reset_input(inputs[l]);  // lets go of the values now, not when the next field starts
  }
}

}  // namespace parkett::file
