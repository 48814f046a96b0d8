#include "format/footer_walker.h"

#include "format/serde.h"
#include "parkett/error.h"

namespace parkett::format {

using namespace thrift;

FooterWalker::FooterWalker(const uint8_t* data, size_t size, FooterIndex& index)
    : r_(data, size), ix_(index) {
  r_.enter_struct();
  while (true) {
    FieldHeader h = r_.read_field_header(file_last_id_);
    if (h.type == kStop) {
      check_required_fields(r_, ix_, file_seen_);  // names the missing field
      state_ = State::Done;
      return;
    }
    if (h.id == 4 && h.type == kList) {
      ListHeader l = r_.read_list_header();
      if (!l.holds(kStruct)) r_.fail("row_groups is not a list of structs");
      r_.charge(size_t{l.size} * sizeof(RowGroupIndex));
      ix_.row_groups.resize(l.size);
      file_seen_ |= 1u << 4;
      break;
    }
    read_field(r_, h, ix_, file_seen_);
  }
  // The head is what an open needs. Writers put version, schema and num_rows before the
  // row groups; a footer that does not is walked to its end right away.
  if ((file_seen_ & 0b1110) != 0b1110) walk_all();
}

int32_t FooterWalker::columns_located() const {
  if (state_ != State::Columns && state_ != State::RowGroupFields) return 0;
  return static_cast<int32_t>(ix_.row_groups[static_cast<size_t>(row_group_)].columns.size());
}

void FooterWalker::walk_to(int32_t row_group, int32_t column) {
  while (state_ != State::Done && row_group_ <= row_group) {
    if (row_group_ == row_group && column >= 0 && column < columns_located()) return;
    step();
  }
}

void FooterWalker::walk_all() {
  while (state_ != State::Done) step();
}

void FooterWalker::step() {
  switch (state_) {
    case State::RowGroupStart:
      if (static_cast<size_t>(row_group_) == ix_.row_groups.size()) {
        state_ = State::Tail;
        return;
      }
      r_.enter_struct();
      rg_last_id_ = 0;
      rg_seen_ = 0;
      state_ = State::RowGroupFields;
      return;
    case State::RowGroupFields: {
      RowGroupIndex& rg = ix_.row_groups[static_cast<size_t>(row_group_)];
      FieldHeader h = r_.read_field_header(rg_last_id_);
      if (h.type == kStop) {
        check_required_fields(r_, rg, rg_seen_);
        r_.leave_struct();
        ++row_group_;
        state_ = State::RowGroupStart;
        return;
      }
      if (h.id == 1 && (rg_seen_ & 2u)) {  // a second columns list: never trusted
        r_.skip(h.type);
        r_.count_unknown_field();
        return;
      }
      if (h.id == 1 && h.type == kList) {
        ListHeader l = r_.read_list_header();
        if (!l.holds(kStruct)) r_.fail("columns is not a list of structs");
        r_.charge(size_t{l.size} * sizeof(RawStruct));
        rg.columns.reserve(l.size);  // exact: located chunks never move
        columns_left_ = l.size;
        columns_total_ = l.size;
        rg_seen_ |= 2u;
        state_ = State::Columns;
        return;
      }
      read_field(r_, h, rg, rg_seen_);
      return;
    }
    case State::Columns: {
      if (columns_left_ == 0) {
        state_ = State::RowGroupFields;
        return;
      }
      RawStruct raw;
      raw.offset = static_cast<uint32_t>(r_.position());
      r_.skip(kStruct);
      raw.length = static_cast<uint32_t>(r_.position() - raw.offset);
      ix_.row_groups[static_cast<size_t>(row_group_)].columns.push_back(raw);
      --columns_left_;
      return;
    }
    case State::Tail: {
      FieldHeader h = r_.read_field_header(file_last_id_);
      if (h.type == kStop) {
        check_required_fields(r_, ix_, file_seen_);
        r_.leave_struct();
        state_ = State::Done;
        return;
      }
      if (h.id == 4) {  // a second row_groups list: never trusted
        r_.skip(h.type);
        r_.count_unknown_field();
        return;
      }
      read_field(r_, h, ix_, file_seen_);
      return;
    }
    case State::Done:
      return;
  }
}

}  // namespace parkett::format
