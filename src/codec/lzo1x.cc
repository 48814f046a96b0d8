// The LZO1X stream is a sequence of instructions, each an opcode byte (plus operand bytes):
//   0..15 after a match or at the start: a literal run (length 3 + t, or extended with
//         zero bytes when t == 0);
//   0..15 right after a literal run: a 3-byte match at distance 2049 + (t >> 2) + 4 * next;
//   0..15 after a match that ended with trailing literals: a 2-byte match at distance
//         1 + (t >> 2) + 4 * next;
//   16..31 (M4): a far match (distance 16384 + ...), distance 16384 exactly ends the stream;
//   32..63 (M3): a match with a 14-bit distance; 64..255 (M2): a short match.
// The low two bits of the byte two positions back from the end of a match instruction say
// how many literals (0..3) follow it directly.
#include "codec/lzo1x.h"

#include <cstring>
#include <string>

#include "parkett/error.h"

namespace parkett::codec {
namespace {

[[noreturn]] void bad(const std::string& what, size_t at) {
  throw Error(ErrorKind::Corrupt,
              "LZO data is corrupt: " + what + " at input byte " + std::to_string(at));
}

class Lzo1xDecoder {
 public:
  Lzo1xDecoder(std::span<const uint8_t> in, std::span<uint8_t> out) : in_(in), out_(out) {}

  size_t run() {
    enum class State { Instruction, AfterRun, Match, MatchDone };
    State state = State::Instruction;
    size_t t = 0;
    // A first byte above 17 is a literal run of (byte - 17) with no opcode before it; a run
    // of 1..3 is then followed by a match opcode, as after a match's trailing literals.
    if (peek() > 17) {
      t = byte() - 17;
      copy_literals(t);
      if (t < 4) {
        t = byte();
        state = State::Match;
      } else {
        state = State::AfterRun;
      }
    }
    while (true) {
      switch (state) {
        case State::Instruction:
          t = byte();
          if (t >= 16) {
            state = State::Match;
            break;
          }
          if (t == 0) t = 15 + extended_length();
          copy_literals(t + 3);
          state = State::AfterRun;
          break;
        case State::AfterRun:
          t = byte();
          if (t >= 16) {
            state = State::Match;
            break;
          }
          // Right after a literal run, a short opcode is a 3-byte match.
          copy_match(1 + 0x0800 + (t >> 2) + (size_t{byte()} << 2), 3);
          state = State::MatchDone;
          break;
        case State::Match:
          if (t >= 64) {
            size_t distance = 1 + ((t >> 2) & 7) + (size_t{byte()} << 3);
            copy_match(distance, (t >> 5) + 1);
          } else if (t >= 32) {
            size_t length = t & 31;
            if (length == 0) length = 31 + extended_length();
            copy_match(1 + (le16() >> 2), length + 2);
          } else if (t >= 16) {
            size_t length = t & 7;
            if (length == 0) length = 7 + extended_length();
            size_t distance = ((t & 8) << 11) + (le16() >> 2);
            if (distance == 0) {  // the end-of-stream marker
              if (pos_ != in_.size()) {
                bad(std::to_string(in_.size() - pos_) + " bytes after the end marker", pos_);
              }
              return op_;
            }
            copy_match(distance + 0x4000, length + 2);
          } else {
            // After a match's trailing literals, a short opcode is a 2-byte match.
            copy_match(1 + (t >> 2) + (size_t{byte()} << 2), 2);
          }
          state = State::MatchDone;
          break;
        case State::MatchDone: {
          // 0..3 literals follow a match, as the low bits of the byte two back say.
          size_t n = in_[pos_ - 2] & 3;
          if (n == 0) {
            state = State::Instruction;
            break;
          }
          copy_literals(n);
          t = byte();
          state = State::Match;
          break;
        }
      }
    }
  }

 private:
  uint8_t peek() const {
    if (pos_ >= in_.size()) bad("unexpected end of input", pos_);
    return in_[pos_];
  }
  uint8_t byte() {
    uint8_t b = peek();
    ++pos_;
    return b;
  }
  size_t le16() {
    size_t lo = byte();
    return lo | (size_t{byte()} << 8);
  }
  // Zero bytes add 255 each; the first non-zero byte ends the length.
  size_t extended_length() {
    size_t n = 0;
    while (peek() == 0) {
      ++pos_;
      n += 255;
      if (n > out_.size()) bad("run longer than the output", pos_);
    }
    return n + byte();
  }
  void copy_literals(size_t n) {
    if (n > in_.size() - pos_) bad("literal run past the end of input", pos_);
    if (n > out_.size() - op_) bad("literal run past the end of output", pos_);
    std::memcpy(out_.data() + op_, in_.data() + pos_, n);
    pos_ += n;
    op_ += n;
  }
  void copy_match(size_t distance, size_t length) {
    if (distance > op_) bad("match distance " + std::to_string(distance) + " before the start", pos_);
    if (length > out_.size() - op_) bad("match past the end of output", pos_);
    uint8_t* dst = out_.data() + op_;
    const uint8_t* src = dst - distance;
    for (size_t i = 0; i < length; ++i) dst[i] = src[i];  // overlapping copies repeat bytes
    op_ += length;
  }
 private:
  std::span<const uint8_t> in_;
  std::span<uint8_t> out_;
  size_t pos_ = 0;
  size_t op_ = 0;
};

}  // namespace

size_t lzo1x_decompress(std::span<const uint8_t> in, std::span<uint8_t> out) {
  Lzo1xDecoder d(in, out);
  return d.run();
}

}  // namespace parkett::codec
