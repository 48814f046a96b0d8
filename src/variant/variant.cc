#include "variant/variant.h"

#include <algorithm>
#include <cstring>

#include "parkett/error.h"

namespace parkett::variant {
namespace {

[[noreturn]] void corrupt(const std::string& what) { throw Error(ErrorKind::Corrupt, "variant: " + what); }

uint32_t read_le(const uint8_t* p, size_t n) {
  uint32_t v = 0;
  for (size_t k = 0; k < n; ++k) v |= uint32_t{p[k]} << (8 * k);
  return v;
}

// Bytes of a primitive's payload, or -1 for the length-prefixed ones.
int64_t primitive_payload(uint8_t id) {
  static constexpr int8_t kSizes[] = {0, 0, 0, 1, 2, 4, 8, 8, 5, 9, 17, 4, 8, 8, 4, -1, -1, 8, 8, 8, 16};
  if (id >= sizeof(kSizes)) corrupt("primitive type id " + std::to_string(id) + " is not known");
  return kSizes[id];
}

// The fewest bytes (1..4) that hold `v`.
size_t width_of(size_t v) {
  if (v <= 0xff) return 1;
  if (v <= 0xffff) return 2;
  if (v <= 0xffffff) return 3;
  return 4;
}

void append_le(std::string& out, size_t v, size_t n) {
  for (size_t k = 0; k < n; ++k) out += static_cast<char>((v >> (8 * k)) & 0xff);
}

}  // namespace

Metadata::Metadata(Bytes b) {
  if (b.empty()) corrupt("empty metadata");
  const uint8_t h = b[0];
  if ((h & 0x0f) != 1) corrupt("metadata version " + std::to_string(h & 0x0f) + " (expected 1)");
  sorted_ = (h >> 4) & 1;
  const size_t w = static_cast<size_t>((h >> 6) + 1);
  if (b.size() < 1 + w) corrupt("metadata shorter than its dictionary size");
  const size_t n = read_le(b.data() + 1, w);
  if ((b.size() - 1 - w) / w < n + 1) corrupt("metadata shorter than its " + std::to_string(n) + " offsets");
  offsets_.resize(n + 1);
  const size_t strings_at = 1 + w * (n + 2);
  for (size_t i = 0; i <= n; ++i) {
    offsets_[i] = read_le(b.data() + 1 + w * (i + 1), w);
    if (i > 0 && offsets_[i] < offsets_[i - 1]) corrupt("metadata offsets decrease");
  }
  if (offsets_[0] != 0) corrupt("metadata's first offset is not 0");
  if (offsets_[n] > b.size() - strings_at) corrupt("metadata strings run past its end");
  bytes_ = std::string_view(reinterpret_cast<const char*>(b.data()) + strings_at, offsets_[n]);
  encoded_size_ = strings_at + offsets_[n];
}

std::string_view Metadata::key(uint32_t id) const {
  if (id >= size()) {
    corrupt("field id " + std::to_string(id) + " beyond the dictionary of " + std::to_string(size()) + " keys");
  }
  return bytes_.substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
}

int64_t Metadata::find(std::string_view name) const {
  if (sorted_) {
    size_t lo = 0, hi = size();
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      const std::string_view k = key(static_cast<uint32_t>(mid));
      if (k == name) return static_cast<int64_t>(mid);
      if (k < name) lo = mid + 1; else hi = mid;
    }
    return -1;
  }
  for (size_t i = 0; i < size(); ++i) {
    if (key(static_cast<uint32_t>(i)) == name) return static_cast<int64_t>(i);
  }
  return -1;
}

Value::Value(Bytes b) : bytes_(b) {
  if (b.empty()) corrupt("empty value");
  const uint8_t h = b[0];
  const uint8_t header = h >> 2;
  size_t size = 0;
  switch (static_cast<BasicType>(h & 3)) {
    case BasicType::Primitive: {
      int64_t payload = primitive_payload(header);
      if (payload < 0) {
        if (b.size() < 5) corrupt("string or binary shorter than its length");
        payload = 4 + static_cast<int64_t>(read_le(b.data() + 1, 4));
      }
      size = 1 + static_cast<size_t>(payload);
      break;
    }
    case BasicType::ShortString: size = 1 + header; break;
    case BasicType::Object:
    case BasicType::Array: {
      const bool object = (h & 3) == 2;
      offset_size_ = (header & 3) + 1;
      id_size_ = object ? ((header >> 2) & 3) + 1 : 0;
      const bool large = object ? (header >> 4) & 1 : (header >> 2) & 1;
      const size_t count_size = large ? 4 : 1;
      if (b.size() < 1 + count_size) corrupt("truncated element count");
      count_ = read_le(b.data() + 1, count_size);
      ids_at_ = 1 + count_size;
      // Check the count against the bytes before multiplying by it.
      const size_t per = id_size_ + offset_size_;
      // Layout: count ids, then count + 1 offsets.
      const size_t rest = b.size() - ids_at_;
      if (rest < offset_size_ || (rest - offset_size_) / per < count_) corrupt("element count larger than the value");
      offsets_at_ = ids_at_ + id_size_ * count_;
      values_at_ = offsets_at_ + offset_size_ * (count_ + 1);
      if (values_at_ > b.size()) corrupt("truncated element offsets");
      const size_t end = offset(count_);
      if (end > b.size() - values_at_) corrupt("elements run past the value");
      size = values_at_ + end;
      break;
    }
  }
  if (size > b.size()) corrupt("value of " + std::to_string(size) + " bytes, only " + std::to_string(b.size()) + " present");
  size_ = size;
}

size_t Value::offset(size_t i) const { return read_le(bytes_.data() + offsets_at_ + offset_size_ * i, offset_size_); }

uint32_t Value::field_id(size_t i) const {
  if (basic_type() != BasicType::Object || i >= count_) corrupt("no field " + std::to_string(i));
  return read_le(bytes_.data() + ids_at_ + id_size_ * i, id_size_);
}

Value Value::element(size_t i) const {
  if ((basic_type() != BasicType::Object && basic_type() != BasicType::Array) || i >= count_) {
    corrupt("no element " + std::to_string(i));
  }
  const size_t at = offset(i);
  const size_t end = size_ - values_at_;
  if (at >= end) corrupt("element offset " + std::to_string(at) + " past the values");
  return Value(bytes_.subspan(values_at_ + at, end - at));
}

std::string_view Value::text() const {
  const char* p = reinterpret_cast<const char*>(bytes_.data());
  if (basic_type() == BasicType::ShortString) return {p + 1, size_ - 1};
  if (basic_type() == BasicType::Primitive &&
      (primitive() == Primitive::String || primitive() == Primitive::Binary)) {
    return {p + 5, size_ - 5};
  }
  corrupt("value is not a string or binary");
}

void Writer::fixed(Primitive p, const void* v, size_t n) {
  header(p);
  out_.append(static_cast<const char*>(v), n);
}

void Writer::decimal(Primitive type, uint8_t scale, const uint8_t* unscaled_le) {
  header(type);
  out_ += static_cast<char>(scale);
  const size_t n = type == Primitive::Decimal4 ? 4 : type == Primitive::Decimal8 ? 8 : 16;
  out_.append(reinterpret_cast<const char*>(unscaled_le), n);
}

void Writer::string(std::string_view s) {
  if (s.size() < 64) {
    out_ += static_cast<char>((s.size() << 2) | 1);
  } else {
    header(Primitive::String);
    append_le(out_, s.size(), 4);
  }
  out_ += s;
}

void Writer::binary(std::string_view b) {
  header(Primitive::Binary);
  append_le(out_, b.size(), 4);
  out_ += b;
}

void Writer::object(const std::vector<Field>& fields, size_t dictionary_size) {
  size_t total = 0;
  for (const auto& f : fields) total += f.value.size();
  const size_t id_size = width_of(dictionary_size);
  const size_t offset_size = width_of(total);
  const bool large = fields.size() > 255;
  out_ += static_cast<char>(2 | ((offset_size - 1) << 2) | ((id_size - 1) << 4) | (large ? 1 << 6 : 0));
  append_le(out_, fields.size(), large ? 4 : 1);
  for (const auto& f : fields) append_le(out_, f.id, id_size);
  size_t at = 0;
  for (const auto& f : fields) {
    append_le(out_, at, offset_size);
    at += f.value.size();
  }
  append_le(out_, at, offset_size);
  for (const auto& f : fields) out_ += f.value;
}

void Writer::array(const std::vector<std::string_view>& elements) {
  size_t total = 0;
  for (const auto& e : elements) total += e.size();
  const size_t offset_size = width_of(total);
  const bool large = elements.size() > 255;
  out_ += static_cast<char>(3 | ((offset_size - 1) << 2) | (large ? 1 << 4 : 0));
  append_le(out_, elements.size(), large ? 4 : 1);
  size_t at = 0;
  for (const auto& e : elements) {
    append_le(out_, at, offset_size);
    at += e.size();
  }
  append_le(out_, at, offset_size);
  for (const auto& e : elements) out_ += e;
}

}  // namespace parkett::variant
