// A restricted pickle VM for state dicts: a data-only subset of the pickle opcodes, a whitelist of
// globals that are interpreted (never imported or called), containers kept in an arena so that
// cyclic or deeply nested input cannot overflow the stack or leak.
#include "finsent/io/pickle_state_dict.hpp"

#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <variant>

#include "finsent/core/error.hpp"
#include "utf8.hpp"

namespace finsent::io {
namespace {

enum class Callable {
  OrderedDict,
  RebuildTensor,
  RebuildTensorV2,
  RebuildParameter,
  RebuildParameterWithState
};

struct None {};
struct Global {
  std::optional<Callable> callable;
  std::optional<DType> storage_dtype;  // set for torch.<T>Storage
  std::string text;                    // "module.name" for messages
};
struct Ref {  // a container in the arena
  size_t index;
};
struct StorageRef {
  size_t index;
};
struct TensorRef {
  size_t index;
};
// Strings are shared so DUP / memo gets cannot multiply memory.
struct Str {
  std::shared_ptr<const std::string> text;
  const std::string& operator*() const { return *text; }
};

using Value = std::variant<None, bool, int64_t, double, Str, Global, Ref, StorageRef, TensorRef>;

enum class Kind { Tuple, List, Dict };
struct Container {
  Kind kind = Kind::Tuple;
  std::vector<Value> items;                             // tuple / list
  std::vector<std::pair<Value, Value>> dict_items;      // dict, insertion order
  std::map<std::string, size_t, std::less<>> str_keys;  // dict key -> dict_items position
  std::map<int64_t, size_t> int_keys;
};

struct Tensor {
  size_t storage;
  uint64_t offset;
  std::vector<int64_t> shape, strides;
};

std::optional<DType> storage_dtype(std::string_view name) {
  static const std::map<std::string_view, DType> kStorages{
      {"FloatStorage", DType::F32},     {"DoubleStorage", DType::F64}, {"HalfStorage", DType::F16},
      {"BFloat16Storage", DType::BF16}, {"LongStorage", DType::I64},   {"IntStorage", DType::I32},
      {"ShortStorage", DType::I16},     {"CharStorage", DType::I8},    {"ByteStorage", DType::U8},
      {"BoolStorage", DType::BOOL}};
  auto it = kStorages.find(name);
  return it == kStorages.end() ? std::nullopt : std::optional(it->second);
}

class Machine {
 public:
  Machine(std::span<const std::byte> p, const std::string& origin) : p_(p), origin_(origin) {}

  StateDictPickle run();

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw WeightsError(origin_ + ": refusing to load pickle: " + what + " (at byte " +
                       std::to_string(op_pos_) + ")");
  }
  uint64_t le(int n) {
    if (static_cast<size_t>(n) > p_.size() - pos_) fail("truncated pickle");
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; --i) v = (v << 8) | std::to_integer<uint64_t>(p_[pos_ + i]);
    pos_ += static_cast<size_t>(n);
    return v;
  }
  std::string bytes(uint64_t n) {
    if (n > p_.size() - pos_) fail("truncated pickle");
    std::string s(reinterpret_cast<const char*>(p_.data() + pos_), n);
    pos_ += n;
    return s;
  }
  std::string line() {
    size_t start = pos_;
    while (pos_ < p_.size() && p_[pos_] != std::byte{'\n'}) ++pos_;
    if (pos_ == p_.size()) fail("truncated pickle");
    std::string s(reinterpret_cast<const char*>(p_.data() + start), pos_ - start);
    ++pos_;
    return s;
  }
  Str unicode(uint64_t n) {
    std::string s = bytes(n);
    if (detail::invalid_utf8_at(s)) fail("string is not valid UTF-8");
    return Str{std::make_shared<const std::string>(std::move(s))};
  }

  Value pop() {
    if (stack_.size() <= floor()) fail("stack underflow");
    Value v = std::move(stack_.back());
    stack_.pop_back();
    return v;
  }
  size_t floor() const { return marks_.empty() ? 0 : marks_.back(); }
  std::vector<Value> pop_mark() {
    if (marks_.empty()) fail("missing MARK");
    size_t m = marks_.back();
    marks_.pop_back();
    std::vector<Value> items(std::make_move_iterator(stack_.begin() + static_cast<long>(m)),
                             std::make_move_iterator(stack_.end()));
    stack_.resize(m);
    return items;
  }
  Value& top() {
    if (stack_.size() <= floor()) fail("stack underflow");
    return stack_.back();
  }
  Value make(Kind kind, std::vector<Value> items = {}) {
    Container c;
    c.kind = kind;
    c.items = std::move(items);
    arena_.push_back(std::move(c));
    return Ref{arena_.size() - 1};
  }
  Container& container(const Value& v, Kind kind, const char* op) {
    const Ref* r = std::get_if<Ref>(&v);
    if (!r || arena_[r->index].kind != kind) fail(std::string(op) + " applied to the wrong type");
    return arena_[r->index];
  }
  void set_item(Container& d, Value k, Value v) {
    size_t next = d.dict_items.size();
    size_t at;
    if (const Str* s = std::get_if<Str>(&k)) {
      at = d.str_keys.emplace(**s, next).first->second;
    } else if (const int64_t* i = std::get_if<int64_t>(&k)) {
      at = d.int_keys.emplace(*i, next).first->second;
    } else {
      fail("dict keys must be strings or integers");
    }
    if (at == next) {
      d.dict_items.emplace_back(std::move(k), std::move(v));
    } else {
      d.dict_items[at].second = std::move(v);
    }
  }
  Global global(const std::string& module, const std::string& name);
  Value reduce(const Global& g, const Container& args);
  Value persistent_load(const Value& pid);
  int64_t as_int(const Value& v, const char* what) {
    const int64_t* i = std::get_if<int64_t>(&v);
    if (!i) fail(std::string(what) + " must be an integer");
    return *i;
  }
  std::vector<int64_t> int_tuple(const Value& v, const char* what) {
    const Container& c = container(v, Kind::Tuple, what);
    std::vector<int64_t> out;
    for (const auto& x : c.items) {
      int64_t i = as_int(x, what);
      if (i < 0) fail(std::string(what) + " has a negative entry");
      out.push_back(i);
    }
    return out;
  }

  std::span<const std::byte> p_;
  const std::string& origin_;
  size_t pos_ = 0, op_pos_ = 0;
  std::vector<Value> stack_;
  std::vector<size_t> marks_;
  std::map<uint64_t, Value> memo_;
  std::deque<Container> arena_;  // deque: references stay valid as it grows
  std::vector<Tensor> tensors_;
  StateDictPickle out_;
  std::map<std::string, size_t> storage_by_key_;
};

Global Machine::global(const std::string& module, const std::string& name) {
  Global g;
  g.text = module + "." + name;
  if (module == "collections" && name == "OrderedDict") {
    g.callable = Callable::OrderedDict;
  } else if (module == "torch._utils" && name == "_rebuild_tensor_v2") {
    g.callable = Callable::RebuildTensorV2;
  } else if (module == "torch._utils" && name == "_rebuild_tensor") {
    g.callable = Callable::RebuildTensor;
  } else if (module == "torch._utils" && name == "_rebuild_parameter") {
    g.callable = Callable::RebuildParameter;
  } else if (module == "torch._utils" && name == "_rebuild_parameter_with_state") {
    g.callable = Callable::RebuildParameterWithState;
  } else if (module == "torch" && storage_dtype(name)) {
    g.storage_dtype = storage_dtype(name);
  } else {
    fail("global " + g.text +
         " is not allowed in a state dict (only tensors, storages and "
         "ordered dicts are); nothing was executed");
  }
  return g;
}

Value Machine::persistent_load(const Value& pid) {
  const Container& t = container(pid, Kind::Tuple, "persistent id");
  const Str* tag = t.items.empty() ? nullptr : std::get_if<Str>(&t.items[0]);
  if (t.items.size() != 5 || !tag || **tag != "storage") {
    fail("persistent id is not ('storage', type, key, location, numel)");
  }
  const Global* type = std::get_if<Global>(&t.items[1]);
  const Str* key_value = std::get_if<Str>(&t.items[2]);
  if (!type || !type->storage_dtype) fail("persistent id names no known storage type");
  if (!key_value) fail("storage key must be a string");
  const std::string& k = **key_value;
  const std::string* key = &k;
  if (key->empty() || key->find_first_of("/\\") != std::string::npos || *key == "." ||
      *key == "..") {
    fail("storage key must be a plain record name");
  }
  int64_t numel = as_int(t.items[4], "storage size");
  if (numel < 0) fail("negative storage size");
  auto [it, inserted] = storage_by_key_.emplace(*key, out_.storages.size());
  if (inserted) {
    out_.storages.push_back({*key, *type->storage_dtype, static_cast<uint64_t>(numel)});
  } else {
    const auto& s = out_.storages[it->second];
    if (s.dtype != *type->storage_dtype || s.numel != static_cast<uint64_t>(numel)) {
      fail("storage " + *key + " is referenced with two different types or sizes");
    }
  }
  return StorageRef{it->second};
}

Value Machine::reduce(const Global& g, const Container& args) {
  if (!g.callable) fail(g.text + " is not callable here");
  const auto& a = args.items;
  switch (*g.callable) {
    case Callable::OrderedDict:
      if (!a.empty()) fail("OrderedDict called with arguments");
      return make(Kind::Dict);
    case Callable::RebuildParameter:
    case Callable::RebuildParameterWithState:
      if (a.size() < 3 || !std::holds_alternative<TensorRef>(a[0])) {
        fail("_rebuild_parameter needs (tensor, requires_grad, hooks)");
      }
      return a[0];
    case Callable::RebuildTensor:
    case Callable::RebuildTensorV2: {
      if (a.size() < 4 || a.size() > 7) fail("_rebuild_tensor called with the wrong arguments");
      const StorageRef* s = std::get_if<StorageRef>(&a[0]);
      if (!s) fail("_rebuild_tensor's first argument is not a storage");
      Tensor t{s->index, 0, int_tuple(a[2], "tensor size"), int_tuple(a[3], "tensor stride")};
      int64_t off = as_int(a[1], "storage offset");
      if (off < 0) fail("negative storage offset");
      t.offset = static_cast<uint64_t>(off);
      if (t.shape.size() != t.strides.size()) fail("tensor size and stride differ in rank");
      tensors_.push_back(std::move(t));
      return TensorRef{tensors_.size() - 1};
    }
  }
  fail("unreachable");
}

StateDictPickle Machine::run() {
  while (true) {
    op_pos_ = pos_;
    if (pos_ >= p_.size()) fail("pickle ends without STOP");
    auto op = std::to_integer<uint8_t>(p_[pos_++]);
    switch (op) {
      case 0x80: {  // PROTO
        uint64_t v = le(1);
        if (v < 2 || v > 5) fail("unsupported pickle protocol " + std::to_string(v));
        break;
      }
      case 0x95:
        le(8);
        break;  // FRAME: framing is only a hint
      case '(':
        marks_.push_back(stack_.size());
        break;
      case '}':
        stack_.push_back(make(Kind::Dict));
        break;
      case ']':
        stack_.push_back(make(Kind::List));
        break;
      case ')':
        stack_.push_back(make(Kind::Tuple));
        break;
      case 't':
        stack_.push_back(make(Kind::Tuple, pop_mark()));
        break;
      case 0x85:
      case 0x86:
      case 0x87: {  // TUPLE1..3
        size_t n = op - 0x84u;
        std::vector<Value> items(n);
        for (size_t i = n; i-- > 0;) items[i] = pop();
        stack_.push_back(make(Kind::Tuple, std::move(items)));
        break;
      }
      case 'N':
        stack_.push_back(None{});
        break;
      case 0x88:
        stack_.push_back(true);
        break;
      case 0x89:
        stack_.push_back(false);
        break;
      case 'K':
        stack_.push_back(static_cast<int64_t>(le(1)));
        break;
      case 'M':
        stack_.push_back(static_cast<int64_t>(le(2)));
        break;
      case 'J':
        stack_.push_back(static_cast<int64_t>(static_cast<int32_t>(le(4))));
        break;
      case 0x8a: {  // LONG1
        uint64_t n = le(1);
        if (n > 8) fail("integer wider than 64 bits");
        uint64_t v = n ? le(static_cast<int>(n)) : 0;
        if (n > 0 && n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);  // sign
        stack_.push_back(static_cast<int64_t>(v));
        break;
      }
      case 'G': {  // BINFLOAT, big-endian
        uint64_t bits = 0;
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | le(1);
        double d;
        std::memcpy(&d, &bits, 8);
        stack_.push_back(d);
        break;
      }
      case 'X':
        stack_.push_back(unicode(le(4)));
        break;
      case 0x8c:
        stack_.push_back(unicode(le(1)));
        break;
      case 0x8d:
        stack_.push_back(unicode(le(8)));
        break;
      case 'c': {
        std::string module = line();
        std::string name = line();
        stack_.push_back(global(module, name));
        break;
      }
      case 0x93: {  // STACK_GLOBAL
        Value name = pop(), module = pop();
        auto* m = std::get_if<Str>(&module);
        auto* n = std::get_if<Str>(&name);
        if (!m || !n) fail("STACK_GLOBAL needs two strings");
        stack_.push_back(global(**m, **n));
        break;
      }
      case 'q':
        memo_[le(1)] = top();
        break;
      case 'r':
        memo_[le(4)] = top();
        break;
      case 0x94:
        memo_[memo_.size()] = top();
        break;
      case 'h':
      case 'j': {
        auto it = memo_.find(le(op == 'h' ? 1 : 4));
        if (it == memo_.end()) fail("memo lookup of an unset slot");
        stack_.push_back(it->second);
        break;
      }
      case '0':
        pop();
        break;
      case '1':
        pop_mark();
        break;
      case '2':
        stack_.push_back(top());
        break;
      case 'Q': {  // BINPERSID
        Value pid = pop();
        stack_.push_back(persistent_load(pid));
        break;
      }
      case 'R': {  // REDUCE
        Value args = pop(), callable = pop();
        const Global* g = std::get_if<Global>(&callable);
        if (!g) fail("REDUCE on something that is not an allowed global");
        Value result = reduce(*g, container(args, Kind::Tuple, "REDUCE arguments"));
        stack_.push_back(std::move(result));
        break;
      }
      case 'b': {  // BUILD: state (e.g. a state dict's _metadata) is inert data; dropped
        pop();
        container(top(), Kind::Dict, "BUILD");
        break;
      }
      case 's': {
        Value v = pop(), k = pop();
        set_item(container(top(), Kind::Dict, "SETITEM"), std::move(k), std::move(v));
        break;
      }
      case 'u': {
        auto items = pop_mark();
        if (items.size() % 2) fail("SETITEMS with an odd number of items");
        Container& d = container(top(), Kind::Dict, "SETITEMS");
        for (size_t i = 0; i < items.size(); i += 2) set_item(d, items[i], items[i + 1]);
        break;
      }
      case 'a': {
        Value v = pop();
        container(top(), Kind::List, "APPEND").items.push_back(std::move(v));
        break;
      }
      case 'e': {
        auto items = pop_mark();
        auto& list = container(top(), Kind::List, "APPENDS").items;
        for (auto& v : items) list.push_back(std::move(v));
        break;
      }
      case '.': {  // STOP
        Value result = pop();
        if (!stack_.empty() || !marks_.empty()) fail("data left on the stack at STOP");
        const Ref* r = std::get_if<Ref>(&result);
        if (!r || arena_[r->index].kind != Kind::Dict) {
          fail("the checkpoint is not a state dict (a dict of name -> tensor)");
        }
        for (const auto& [k, v] : arena_[r->index].dict_items) {
          const Str* key = std::get_if<Str>(&k);
          const std::string* name = key ? &**key : nullptr;
          const TensorRef* t = std::get_if<TensorRef>(&v);
          if (!name || !t) {
            fail("the checkpoint is not a state dict: entry " +
                 (name ? "'" + *name + "'" : std::string("with a non-string key")) +
                 " is not a tensor");
          }
          const Tensor& src = tensors_[t->index];
          out_.tensors.push_back({*name, src.storage, src.offset, src.shape, src.strides});
        }
        return std::move(out_);
      }
      default: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", op);
        fail(std::string("opcode ") + hex + " is not allowed in a state dict");
      }
    }
  }
}

}  // namespace

StateDictPickle unpickle_state_dict(std::span<const std::byte> pickle, const std::string& origin) {
  return Machine(pickle, origin).run();
}

}  // namespace finsent::io
