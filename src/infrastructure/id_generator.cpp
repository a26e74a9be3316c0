#include "infrastructure/id_generator.hpp"

#include <boost/uuid/name_generator_sha1.hpp>
#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid_io.hpp>

namespace docledger::infrastructure {

std::string NewRandomUuid() {
  thread_local boost::uuids::random_generator generator;
  return boost::uuids::to_string(generator());
}

std::string DeterministicUuid(const std::string& name) {
  // A fixed namespace for docledger's derived ids.
  static const boost::uuids::uuid kNamespace = boost::uuids::string_generator()(
      "6f0c7d9e-8a43-5b1e-9c2d-d0c1ed9e0001");
  return boost::uuids::to_string(boost::uuids::name_generator_sha1(kNamespace)(name));
}

}  // namespace docledger::infrastructure
