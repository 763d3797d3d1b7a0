# /predict body parsing (serve layer, torch-free).
finsent_fuzz(serve_predict_request
  SOURCES ${FINSENT_ROOT}/src/serve/predict_request.cpp ${FINSENT_ROOT}/src/serve/api_error.cpp
          ${FINSENT_ROOT}/src/serve/scores.cpp ${FINSENT_ROOT}/src/core/error.cpp
  LIBS nlohmann_json::nlohmann_json)
