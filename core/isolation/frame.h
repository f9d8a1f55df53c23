// The framing of the host <-> pack-runner protocol: each message is one
// frame, an 8-byte header and a payload.
//
//   bytes 0-1  'O' 'P'            a magic, so that stray bytes read as garbage
//   byte  2    kProtocolVersion   a runner and its host are one binary, so a
//                                 version other than ours is garbage too
//   byte  3    the message type   (MessageType)
//   bytes 4-7  payload length     unsigned, little-endian, at most
//                                 kMaxFramePayload
//
// Nothing here trusts the bytes it reads: a bad magic, another version, an
// unknown type or a length past the maximum is a ProtocolError, and a
// stream that ends inside a frame is reported as truncated, never read past.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace opr::isolation {

constexpr uint8_t kProtocolVersion = 1;
constexpr size_t kFrameHeaderSize = 8;
// The most one frame may carry: a run's whole outcome travels in one frame,
// and 16 MiB holds tens of thousands of violations with their facts.
constexpr size_t kMaxFramePayload = size_t{16} << 20;

enum class MessageType : uint8_t {
  // host -> runner
  load = 1,     // load the pack file
  create = 2,   // create the target's instance
  run = 3,      // run one check
  cancel = 4,   // the run in progress should stop (run_cancelled)
  destroy = 5,  // destroy the instance, then exit
  // runner -> host
  loaded = 65,        // the pack's declaration, or why it did not load
  created = 66,       // create() returned
  ran = 67,           // one run's whole outcome
  destroyed = 68,     // destroy() returned
  memory_limit = 69,  // an allocation failed at the runner's memory limit
};

// Bytes that are not the protocol, or a message that does not fit it.
class ProtocolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Frame {
  MessageType type = MessageType::load;
  std::string payload;
};

// The frame for `payload`, header included. Throws ProtocolError when the
// payload is larger than kMaxFramePayload.
std::string encode_frame(MessageType type, std::string_view payload);

// Reads frames out of a byte stream fed in pieces of any size.
class FrameDecoder {
 public:
  // Appends bytes as they arrived.
  void feed(std::string_view bytes);
  // The next whole frame, or nullopt until more bytes arrive. Throws
  // ProtocolError on a bad header; the decoder is then unusable.
  std::optional<Frame> next();
  // True when bytes of an unfinished frame are buffered: a stream that ends
  // now ends inside a frame.
  bool mid_frame() const { return buffer_.size() > offset_; }

 private:
  std::string buffer_;
  size_t offset_ = 0;  // bytes of buffer_ already returned as frames
};

// Writes `frame` (from encode_frame) whole to a stream socket, retrying on
// EINTR and never raising SIGPIPE. False when the peer is gone.
bool write_all(int fd, std::string_view frame);

}  // namespace opr::isolation
