// CRC-32C (Castagnoli), the checksum TFRecord framing uses, plus TensorFlow's masking of it.
#pragma once

#include <cstdint>
#include <string_view>

namespace finsent::train {

// CRC-32C of `bytes` (reflected polynomial 0x82F63B78, init and final xor 0xFFFFFFFF).
// crc32c("123456789") == 0xE3069283.
uint32_t crc32c(std::string_view bytes);

// TFRecord's masked form: rotate right by 15 and add 0xa282ead8, so that CRCs of data that itself
// holds CRCs stay well distributed.
uint32_t masked_crc32c(std::string_view bytes);

}  // namespace finsent::train
