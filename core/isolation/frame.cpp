#include "isolation/frame.h"

#include <sys/socket.h>
#include <sys/types.h>

#include <cerrno>

namespace opr::isolation {
namespace {

constexpr char kMagic0 = 'O';
constexpr char kMagic1 = 'P';

bool known_type(uint8_t type) {
  switch (static_cast<MessageType>(type)) {
    case MessageType::load:
    case MessageType::create:
    case MessageType::run:
    case MessageType::cancel:
    case MessageType::destroy:
    case MessageType::loaded:
    case MessageType::created:
    case MessageType::ran:
    case MessageType::destroyed:
    case MessageType::memory_limit:
      return true;
  }
  return false;
}

uint32_t read_u32(const char* bytes) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes);
  return uint32_t{b[0]} | uint32_t{b[1]} << 8 | uint32_t{b[2]} << 16 | uint32_t{b[3]} << 24;
}

}  // namespace

std::string encode_frame(MessageType type, std::string_view payload) {
  if (payload.size() > kMaxFramePayload) {
    throw ProtocolError("a message of " + std::to_string(payload.size()) +
                        " bytes is larger than the protocol's maximum frame of " +
                        std::to_string(kMaxFramePayload) + " bytes");
  }
  std::string frame;
  frame.reserve(kFrameHeaderSize + payload.size());
  const auto size = static_cast<uint32_t>(payload.size());
  frame += kMagic0;
  frame += kMagic1;
  frame += static_cast<char>(kProtocolVersion);
  frame += static_cast<char>(type);
  for (int shift = 0; shift < 32; shift += 8) frame += static_cast<char>((size >> shift) & 0xff);
  frame.append(payload);
  return frame;
}

void FrameDecoder::feed(std::string_view bytes) {
  if (offset_ > 0 && offset_ >= buffer_.size() / 2) {
    buffer_.erase(0, offset_);
    offset_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<Frame> FrameDecoder::next() {
  const size_t available = buffer_.size() - offset_;
  const char* header = buffer_.data() + offset_;
  // The header is judged as soon as its bytes are here, so garbage is
  // refused before anything waits for a payload that will never come.
  if (available >= 1 && header[0] != kMagic0) throw ProtocolError("bytes that are not a frame");
  if (available >= 2 && header[1] != kMagic1) throw ProtocolError("bytes that are not a frame");
  if (available >= 3 && static_cast<uint8_t>(header[2]) != kProtocolVersion) {
    throw ProtocolError("a frame of protocol version " +
                        std::to_string(static_cast<uint8_t>(header[2])) + " (expected " +
                        std::to_string(kProtocolVersion) + ")");
  }
  if (available >= 4 && !known_type(static_cast<uint8_t>(header[3]))) {
    throw ProtocolError("a frame of unknown type " +
                        std::to_string(static_cast<uint8_t>(header[3])));
  }
  if (available < kFrameHeaderSize) return std::nullopt;
  const uint32_t size = read_u32(header + 4);
  if (size > kMaxFramePayload) {
    throw ProtocolError("a frame of " + std::to_string(size) +
                        " bytes, larger than the protocol's maximum of " +
                        std::to_string(kMaxFramePayload));
  }
  if (available - kFrameHeaderSize < size) return std::nullopt;
  Frame frame;
  frame.type = static_cast<MessageType>(header[3]);
  frame.payload.assign(header + kFrameHeaderSize, size);
  offset_ += kFrameHeaderSize + size;
  if (offset_ == buffer_.size()) {
    buffer_.clear();
    offset_ = 0;
  }
  return frame;
}

bool write_all(int fd, std::string_view frame) {
  while (!frame.empty()) {
    const ssize_t sent = ::send(fd, frame.data(), frame.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    frame.remove_prefix(static_cast<size_t>(sent));
  }
  return true;
}

}  // namespace opr::isolation
